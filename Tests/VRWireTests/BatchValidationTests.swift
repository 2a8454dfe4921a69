// Untrusted rollout batches: every inconsistency and out-of-range value is rejected with the right code.

import Testing
import VRCore
import VRWire

@Suite("Rollout batch validation")
struct BatchValidationTests {
    let codec = WireCodec(vocabularySize: Samples.vocabularySize)

    /// Encodes a batch with one question holding `traces`, decodes it and returns the error code.
    private func code(
        of traces: [TraceRecord], phase: RolloutPhase = .model, codec: WireCodec? = nil
    ) throws -> WireError.Code {
        let batch = Samples.batch(questions: [QuestionRollout(questionID: "q", phase: phase, traces: traces)])
        let frames = try (codec ?? self.codec).encode(.rolloutBatch(batch), senderID: Samples.workerID)
        return try #require(throws: WireError.self) { try (codec ?? self.codec).decode(frames) }.code
    }

    private func code(of batch: RolloutBatch) throws -> WireError.Code {
        let frames = try codec.encode(.rolloutBatch(batch), senderID: Samples.workerID)
        return try #require(throws: WireError.self) { try codec.decode(frames) }.code
    }

    @Test("behaviour log-probs must match the trace tokens one to one")
    func behaviourLengthMismatch() throws {
        #expect(try code(of: [Samples.trace(logProbs: [-1, -1, -1])]) == .inconsistentBatch)
        #expect(try code(of: [Samples.trace(trace: [], logProbs: [-1])]) == .inconsistentBatch)
    }

    @Test("correct answers cannot exceed sampled answers; at least one answer is sampled")
    func answerCounts() throws {
        #expect(
            try code(of: [Samples.trace(answers: SampledAnswers(correctCount: 5, answerCount: 4))])
                == .inconsistentBatch)
        #expect(
            try code(of: [Samples.trace(answers: SampledAnswers(correctCount: 0, answerCount: 0))]) == .invalidValue)
        #expect(try code(of: [Samples.trace(answers: SampledAnswers(correctCount: 1, answerCount: 5000))]) == .tooLarge)
    }

    @Test("[E7] sampled answers travel with their tokens, log-probs and verdicts, and must agree with the counts")
    func sampledAnswers() throws {
        let right = SampledAnswer(tokenIDs: [5, 6], behaviourLogProbs: [-0.5, -1], isCorrect: true)
        let wrong = SampledAnswer(tokenIDs: [7], behaviourLogProbs: [-2], isCorrect: false)
        let batch = Samples.batch(
            questions: [
                QuestionRollout(
                    questionID: "q", phase: .model,
                    traces: [
                        Samples.trace(
                            answers: SampledAnswers(correctCount: 1, answerCount: 2, answers: [right, wrong]))
                    ])
            ])
        let message = WireMessage.rolloutBatch(batch)
        #expect(try codec.decode(codec.encode(message, senderID: Samples.workerID)).message == message)
        func evidence(_ answers: [SampledAnswer], correct: Int = 1) -> [TraceRecord] {
            [Samples.trace(answers: SampledAnswers(correctCount: correct, answerCount: 2, answers: answers))]
        }
        // Not all of the answers, verdicts that disagree with the count, log-probs that do not fit the tokens.
        #expect(try code(of: evidence([right])) == .inconsistentBatch)
        #expect(try code(of: evidence([right, wrong], correct: 2)) == .inconsistentBatch)
        var short = right
        short.behaviourLogProbs = [-1]
        #expect(try code(of: evidence([short, wrong])) == .inconsistentBatch)
        var positive = right
        positive.behaviourLogProbs = [0.5, -1]
        #expect(try code(of: evidence([positive, wrong])) == .invalidValue)
        var foreign = right
        foreign.tokenIDs = [5, 64]
        #expect(try code(of: evidence([foreign, wrong])) == .invalidValue)
        // The answers' tokens count toward the trace's token limit.
        var limits = WireLimits()
        limits.maxTokensPerTrace = 12
        var long = right
        long.tokenIDs = Array(repeating: 5, count: 8)
        long.behaviourLogProbs = Array(repeating: -1, count: 8)
        #expect(
            try code(
                of: evidence([long, wrong]), codec: WireCodec(vocabularySize: Samples.vocabularySize, limits: limits))
                == .tooLarge)
    }

    @Test("repeated question ids in one batch are inconsistent")
    func repeatedQuestion() throws {
        let question = QuestionRollout(questionID: "q", phase: .model, traces: [Samples.trace()])
        #expect(try code(of: Samples.batch(questions: [question, question])) == .inconsistentBatch)
    }

    @Test("token ids outside the vocabulary are invalid", arguments: [Int32(-1), 64, 1 << 30, Int32.min])
    func tokenOutOfRange(id: Int32) throws {
        #expect(try code(of: [Samples.trace(prompt: [1, id])]) == .invalidValue)
        #expect(try code(of: [Samples.trace(trace: [id], logProbs: [-1])]) == .invalidValue)
        let answer = SampledAnswer(tokenIDs: [id, 2], behaviourLogProbs: [-1, -1], isCorrect: false)
        #expect(
            try code(of: [Samples.trace(answers: SampledAnswers(correctCount: 0, answerCount: 1, answers: [answer]))])
                == .invalidValue)
    }

    @Test("the vocabulary bound comes from the caller")
    func vocabularyFromCaller() throws {
        let trace = Samples.trace(prompt: [63])
        #expect(try code(of: [trace], codec: WireCodec(vocabularySize: 63)) == .invalidValue)
        let batch = Samples.batch(questions: [QuestionRollout(questionID: "q", phase: .model, traces: [trace])])
        let frames = try codec.encode(.rolloutBatch(batch), senderID: Samples.workerID)
        #expect(try WireCodec(vocabularySize: 64).decode(frames).message == .rolloutBatch(batch))
        #expect(try WireCodec().decode(frames).message == .rolloutBatch(batch))
    }

    @Test("non-finite or positive behaviour log-probs are invalid", arguments: [Float.nan, .infinity, -.infinity, 0.5])
    func badBehaviourLogProb(value: Float) throws {
        #expect(try code(of: [Samples.trace(logProbs: [-1, value, -1, -1])]) == .invalidValue)
    }

    @Test("counts outside the limits are rejected")
    func limits() throws {
        var limits = WireLimits()
        limits.maxTracesPerQuestion = 2
        limits.maxTokensPerTrace = 8
        let strict = WireCodec(vocabularySize: Samples.vocabularySize, limits: limits)
        #expect(try code(of: Array(repeating: Samples.trace(), count: 3), codec: strict) == .tooLarge)
        #expect(try code(of: [Samples.trace(prompt: Array(repeating: 1, count: 9))], codec: strict) == .tooLarge)
        #expect(try code(of: []) == .invalidValue)
        #expect(try code(of: Samples.batch(questions: [])) == .invalidValue)
        var batch = Samples.batch()
        batch.batchSequence = 0
        #expect(try code(of: batch) == .missingField)
    }

    @Test("a trace without sampled answers or a question without phase is missing a field")
    func missingFields() throws {
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = 1
        envelope.senderID = Samples.workerID
        var trace = Vr_V1_TraceRecord()
        trace.traceTokenIds = [1]
        trace.behaviourLogProbs = [-1]
        var question = Vr_V1_QuestionRollout()
        question.questionID = "q"
        question.phase = .model
        question.traces = [trace]
        var batch = Vr_V1_RolloutBatch()
        batch.workerID = Samples.workerID
        batch.batchSequence = 1
        batch.assignmentID = 1
        batch.questions = [question]
        envelope.rolloutBatch = batch
        var error = try #require(throws: WireError.self) { try codec.decode([envelope.serializedBytes()]) }
        #expect(error.code == .missingField)
        #expect(error.reason.contains("sampled_answers"))
        batch.questions[0].traces[0].sampledAnswers.answerCount = 1
        batch.questions[0].phase = .unspecified
        envelope.rolloutBatch = batch
        error = try #require(throws: WireError.self) { try codec.decode([envelope.serializedBytes()]) }
        #expect(error.code == .missingField)
        #expect(error.reason.contains("phase"))
    }

    @Test("a reason names the question, trace and token")
    func reasonLocatesTheProblem() throws {
        let batch = Samples.batch(questions: [
            QuestionRollout(questionID: "a", phase: .model, traces: [Samples.trace()]),
            QuestionRollout(
                questionID: "b", phase: .model,
                traces: [Samples.trace(), Samples.trace(trace: [1, 99], logProbs: [-1, -1])]),
        ])
        let frames = try codec.encode(.rolloutBatch(batch), senderID: Samples.workerID)
        let error = try #require(throws: WireError.self) { try codec.decode(frames) }
        #expect(error.reason.contains("question 1 (\"b\"), trace 1, trace_token_ids[1]: token id 99"))
        #expect(
            ErrorReply(error, batchSequence: 42)
                == ErrorReply(code: .invalidValue, reason: error.reason, batchSequence: 42))
    }
}
