import Testing
import VRLearner
import VRTasks
import VRText
import VRTransport
import VRWire
import VRWorker

/// A learner facing a worker that breaks the protocol: every bad message gets an error reply naming what is
/// wrong, nothing is trained on it, and an honest worker still gets its work done.
@Suite("hostile worker")
struct HostileWorkerTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)

    func send(_ message: WireMessage, as sender: String = "rogue", over transport: any WorkerTransport) async throws {
        try await transport.send(try codec.encode(message, senderID: sender).map(Frame.init))
    }

    /// The next error reply, skipping heartbeats.
    func errorReply(from transport: any WorkerTransport) async throws -> ErrorReply? {
        while let frames = try await transport.receive(within: .seconds(10)) {
            let message = try codec.decode(frames.map(\.bytes)).message
            if case .errorReply(let reply) = message { return reply }
            if case .heartbeat = message { continue }
            return nil
        }
        return nil
    }

    @Test("bad frames, foreign datasets, messages before hello and foreign batches are refused; training goes on")
    func refusals() async throws {
        let dataset = try InProcessClusterTests.dataset()
        let hub = try InProcessHub()
        let rogue = hub.makeWorker(identity: try PeerID("rogue"))
        var configuration = InProcessClusterTests.learnerConfiguration()
        configuration.modelSteps = 2
        let learner = try InProcessClusterTests.learner(
            configuration, dataset: dataset, transport: try hub.makeLearner())
        let honest = try WorkerService(
            configuration: InProcessClusterTests.workerConfiguration(seed: 1), dataset: dataset,
            transport: hub.makeWorker(identity: PeerID("honest")))
        let probe = Task {
            var codes: [ErrorReply.Code] = []
            // Garbage bytes.
            try await rogue.send([Frame([0xff, 0x00, 0x13])])
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // A work request before hello.
            try await send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: 0)), over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // A heartbeat, a snapshot request and a goodbye before hello: each gets an answer, never silence.
            try await send(.heartbeat(Heartbeat(parameterVersion: 0)), over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            try await send(.snapshotRequest(SnapshotRequest(parameterVersion: 0)), over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            try await send(.goodbye(Goodbye(reason: "never said hello")), over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // A hello for another dataset.
            try await send(
                .hello(WorkerHello(softwareVersion: "x", parameterVersion: 0, datasetFingerprint: "0")),
                over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // A sender id that is not the connection's.
            try await send(
                .heartbeat(Heartbeat(parameterVersion: 0)), as: "other", over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // A batch for an assignment it never got.
            let trace = TraceRecord(
                promptTokenIDs: [1], traceTokenIDs: [2], behaviourLogProbs: [-1],
                sampledAnswers: SampledAnswers(correctCount: 1, answerCount: 1))
            try await send(
                .rolloutBatch(
                    RolloutBatch(
                        workerID: "rogue", batchSequence: 1, assignmentID: 99, samplingParameterVersion: 1,
                        scoringParameterVersion: 1,
                        questions: [QuestionRollout(questionID: dataset.items[0].id, phase: .model, traces: [trace])])),
                over: rogue)
            codes.append(try await errorReply(from: rogue)?.code ?? .unrecognized(-1))
            // Only now does an honest worker join, so the learner cannot finish before the probes do.
            _ = try await honest.run()
            return codes
        }
        let summary = try await learner.run()
        probe.cancel()
        let codes = try await probe.value
        #expect(
            codes == [
                .malformedFrame, .unknownWorker, .unknownWorker, .unknownWorker, .unknownWorker, .datasetMismatch,
                .invalidValue, .unknownWorker,
            ])
        #expect(summary.modelSteps == 2)
        #expect(summary.counters.rejectedBatches == 1 && summary.counters.trainedBatches >= 2)
    }
}
