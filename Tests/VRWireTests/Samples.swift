// Sample messages of every kind, shared by the VRWire tests.

import VRWire

enum Samples {
    static let workerID = "worker-7"
    static let vocabularySize = 64

    static func trace(
        prompt: [Int32] = [1, 2, 3], trace: [Int32] = [4, 5, 6, 7], logProbs: [Float]? = nil,
        answers: SampledAnswers = SampledAnswers(correctCount: 3, answerCount: 4)
    ) -> TraceRecord {
        TraceRecord(
            promptTokenIDs: prompt, traceTokenIDs: trace,
            behaviourLogProbs: logProbs ?? trace.indices.map { -0.25 * Float($0 + 1) }, sampledAnswers: answers)
    }

    static func batch(questions: [QuestionRollout]? = nil, workerID: String = workerID) -> RolloutBatch {
        let defaultQuestions = [
            QuestionRollout(
                questionID: "addition/train/12", phase: .model,
                traces: [trace(), trace(answers: SampledAnswers(correctCount: 0, answerCount: 4))]),
            QuestionRollout(
                questionID: "countdown/train/3", phase: .posterior,
                traces: [
                    trace(
                        answers: SampledAnswers(
                            correctCount: 1, answerCount: 1,
                            answers: [SampledAnswer(tokenIDs: [8, 9], behaviourLogProbs: [-0.5, -2], isCorrect: true)]))
                ]),
        ]
        return RolloutBatch(
            workerID: workerID, batchSequence: 42, assignmentID: 7, samplingParameterVersion: 11,
            scoringParameterVersion: 12, questions: questions ?? defaultQuestions)
    }

    static let announcement = ParameterAnnouncement(
        parameterVersion: 12, byteCount: 40, chunkCount: 3, chunkByteCount: 16, crc32: 0xDEAD_BEEF,
        modelConfigurationJSON: #"{"layers":2,"width":32,"vocabularySize":64}"#)

    /// One message of every kind, with non-default values in every field.
    static let allMessages: [WireMessage] = [
        .hello(WorkerHello(softwareVersion: "vr 0.1.0", parameterVersion: 3, datasetFingerprint: "abc")),
        .welcome(
            Welcome(
                learnerInstanceID: "learner-1", parameterVersion: 12, heartbeatInterval: .milliseconds(250),
                heartbeatLiveness: 3, maxLag: 2)),
        .heartbeat(Heartbeat(parameterVersion: 12)),
        .goodbye(Goodbye(reason: "shutting down")),
        .errorReply(
            ErrorReply(code: .inconsistentBatch, reason: "trace 1: 3 log-probs for 4 tokens", batchSequence: 9)),
        .errorReply(ErrorReply(code: .unknownWorker, reason: "say hello first")),
        .workRequest(WorkRequest(questionCount: 4, parameterVersion: 11)),
        .workAssignment(
            WorkAssignment(
                assignmentID: 7, parameterVersion: 12,
                questions: [
                    QuestionAssignment(questionID: "addition/train/12", phase: .model, traceCount: 4),
                    QuestionAssignment(questionID: "countdown/train/3", phase: .posterior, traceCount: 2),
                ])),
        .workAssignment(WorkAssignment(assignmentID: 8, parameterVersion: 12, questions: [], retryAfter: .seconds(2))),
        .rolloutBatch(batch()),
        .batchAck(BatchAck(batchSequence: 42, status: .duplicate, parameterVersion: 13)),
        .parameterAnnouncement(announcement),
        .snapshotRequest(SnapshotRequest(parameterVersion: 0)),
        .snapshotChunk(SnapshotChunk(parameterVersion: 12, chunkIndex: 1, offset: 16, payload: Array(0..<16))),
    ]
}
