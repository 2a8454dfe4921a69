import Synchronization
import Testing
import VRLearner
import VRTensor
import VRTestSupport
import VRText
import VRTransport
import VRWire
import VRWorker

/// A rogue peer floods the learner with more than 10,000 hostile messages while an honest worker trains: every
/// message is answered with an error reply, counted by reason, and training goes on.
@Suite("hostile flood")
struct HostileFloodTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)

    /// The kinds of hostile message, each with the error code the learner must answer it with.
    enum Kind: String, CaseIterable {
        case randomBytes, truncatedFrame, oversizedFrame, extraFrames, wrongVersion, missingVersion
        case wrongTraceCount, tokenOutOfRange, negativeTokenID, mismatchedArrays, moreCorrectThanSampled
        case unassignedQuestion, nonFiniteLogProb

        /// The codes the learner may answer with.
        var expectedCodes: Set<String> {
            switch self {
            // A cut at a field boundary leaves an envelope without its body.
            case .truncatedFrame: ["malformed_frame", "missing_field"]
            default: [expectedCode]
            }
        }

        private var expectedCode: String {
            switch self {
            case .randomBytes, .truncatedFrame, .extraFrames: "malformed_frame"
            case .oversizedFrame: "too_large"
            case .wrongVersion: "unsupported_version"
            case .missingVersion: "missing_field"
            case .tokenOutOfRange, .negativeTokenID, .nonFiniteLogProb: "invalid_value"
            case .wrongTraceCount, .mismatchedArrays, .moreCorrectThanSampled, .unassignedQuestion:
                "inconsistent_batch"
            }
        }

        /// Whether the message is a batch for the rogue's outstanding assignment (sent while it is welcomed).
        var isBatch: Bool {
            switch self {
            case .wrongTraceCount, .tokenOutOfRange, .negativeTokenID, .mismatchedArrays, .moreCorrectThanSampled,
                .unassignedQuestion, .nonFiniteLogProb:
                true
            case .randomBytes, .truncatedFrame, .oversizedFrame, .extraFrames, .wrongVersion, .missingVersion: false
            }
        }
    }

    @Test("10,000+ hostile messages are refused and counted by reason; the honest worker keeps the learner training")
    func flood() async throws {
        let dataset = try InProcessClusterTests.dataset()
        let hub = try InProcessHub()
        let rogue = hub.makeWorker(identity: try PeerID("rogue"))
        let learnerTransport = try hub.makeLearner()
        let steps = Mutex(0)
        let learner = Task {
            var configuration = InProcessClusterTests.learnerConfiguration()
            configuration.modelSteps = 1_000_000  // runs until cancelled
            let service = try InProcessClusterTests.learner(
                configuration, dataset: dataset, transport: learnerTransport,
                onEvent: { event in if case .step = event { steps.withLock { $0 += 1 } } })
            return try await service.run()
        }
        let honest = try WorkerService(
            configuration: InProcessClusterTests.workerConfiguration(seed: 1), dataset: dataset,
            transport: hub.makeWorker(identity: PeerID("honest")))
        let honestRun = Task { try await honest.run() }

        // Welcomed, with one assignment outstanding, so that inconsistent batches reach the batch checks.
        try await send(
            .hello(
                WorkerHello(
                    softwareVersion: "rogue", slotCount: 1, parameterVersion: 0, datasetFingerprint: dataset.fingerprint
                )),
            over: rogue)
        let assignment = try await firstAssignment(over: rogue)
        let question = try #require(assignment.questions.first)

        var sent: [Kind: Int] = [:]
        var answered: [Kind: [String: Int]] = [:]
        var generator = SeededGenerator(seed: 0xF100D)
        var sequence: UInt64 = 0
        let batchKinds = Kind.allCases.filter(\.isBatch)
        let otherKinds = Kind.allCases.filter { !$0.isBatch && $0 != .oversizedFrame }
        let messageCount = 10_250
        for index in 0..<messageCount {
            // Batches first, while the rogue holds its assignment; then a goodbye, then session-free garbage, with
            // 50 frames of 16 MiB at the end.
            if index == 4_200 { try await send(.goodbye(Goodbye(reason: "flood")), over: rogue) }
            let kind =
                index < 4_200
                ? batchKinds[index % batchKinds.count]
                : index < messageCount - 50 ? otherKinds[index % otherKinds.count] : .oversizedFrame
            sequence += 1
            let frames = try hostileFrames(
                kind, assignment: assignment, question: question, sequence: sequence, generator: &generator)
            try await rogue.send(frames.map(Frame.init))
            sent[kind, default: 0] += 1
            let code = try await errorReply(from: rogue)?.code.label ?? "no reply"
            answered[kind, default: [:]][code, default: 0] += 1
        }
        let stepsAfterFlood = steps.withLock { $0 }
        // Training goes on after the flood.
        try await eventually(within: 120) { steps.withLock { $0 } >= stepsAfterFlood + 2 }
        learner.cancel()
        honestRun.cancel()
        let summary = try await learner.value
        _ = try? await honestRun.value

        var answeredByCode: [String: Int] = [:]
        for kind in Kind.allCases {
            let codes = answered[kind] ?? [:]
            #expect(Set(codes.keys).isSubset(of: kind.expectedCodes), "\(kind): \(codes)")
            #expect(codes.values.reduce(0, +) == sent[kind] && sent[kind, default: 0] >= 50, "\(kind): \(codes)")
            answeredByCode.merge(codes, uniquingKeysWith: +)
        }
        // The learner counted every refusal it answered, by the reason it gave.
        #expect(summary.rejections == answeredByCode)
        #expect(summary.rejections.values.reduce(0, +) == messageCount)
        #expect(summary.counters.trainedBatches >= 2 && summary.modelSteps >= 1)
        let counts = summary.rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print(
            "hostile flood: \(messageCount) messages refused (\(counts.joined(separator: ", "))); \(summary.modelSteps) "
                + "model steps, \(summary.counters.trainedBatches) batches trained")
    }

    // MARK: - Hostile messages

    private func hostileFrames(
        _ kind: Kind, assignment: WorkAssignment, question: QuestionAssignment, sequence: UInt64,
        generator: inout SeededGenerator
    ) throws -> [[UInt8]] {
        let hello = try codec.encode(
            .hello(WorkerHello(softwareVersion: "x", slotCount: 1, parameterVersion: 0)), senderID: "rogue")[0]
        switch kind {
        case .randomBytes:
            // Field 0 with wire type 7 never parses, whatever follows.
            return [[0x07] + randomBytes(Int.random(in: 0..<200, using: &generator), &generator)]
        case .truncatedFrame:
            let whole = try codec.encode(.rolloutBatch(batch(assignment, question, sequence)), senderID: "rogue")[0]
            return [Array(whole.prefix(Int.random(in: 0..<whole.count, using: &generator)))]
        case .oversizedFrame:
            return [[UInt8](repeating: 0x0A, count: WireLimits.frameBytesCap + 1)]
        case .extraFrames:
            return [hello, randomBytes(Int.random(in: 1...64, using: &generator), &generator)]
        case .wrongVersion, .missingVersion:
            // The envelope starts with field 1, the protocol version, as one varint byte.
            guard hello[0] == 0x08 && hello[1] == 0x01 else { throw FloodError("the envelope does not start with 1") }
            var patched = hello
            patched[1] = kind == .missingVersion ? 0 : UInt8.random(in: 2...127, using: &generator)
            return [patched]
        default:
            return try codec.encode(
                .rolloutBatch(batch(assignment, question, sequence, breaking: kind)), senderID: "rogue")
        }
    }

    /// A batch for the rogue's assignment, broken the way `kind` says.
    private func batch(
        _ assignment: WorkAssignment, _ question: QuestionAssignment, _ sequence: UInt64, breaking kind: Kind? = nil
    ) -> RolloutBatch {
        var trace = TraceRecord(
            promptTokenIDs: [1, 2], traceTokenIDs: [3, 4], answerTokenIDs: [], behaviourLogProbs: [-1, -1],
            answerEvidence: .sampled(correctCount: 1, answerCount: 2))
        var traceCount = question.traceCount
        var questionID = question.questionID
        switch kind {
        case .wrongTraceCount: traceCount += 1
        case .tokenOutOfRange: trace.traceTokenIDs[0] = Int32(ByteTokenizer.vocabularySize + 7)
        case .negativeTokenID: trace.promptTokenIDs[1] = -3
        case .mismatchedArrays: trace.behaviourLogProbs = [-1]
        case .moreCorrectThanSampled: trace.answerEvidence = .sampled(correctCount: 3, answerCount: 2)
        case .unassignedQuestion: questionID = "not-assigned"
        case .nonFiniteLogProb: trace.behaviourLogProbs[1] = .nan
        default: break
        }
        return RolloutBatch(
            workerID: "rogue", batchSequence: sequence, assignmentID: assignment.assignmentID,
            samplingParameterVersion: assignment.parameterVersion, scoringParameterVersion: assignment.parameterVersion,
            questions: [
                QuestionRollout(
                    questionID: questionID, phase: question.phase, traces: Array(repeating: trace, count: traceCount))
            ])
    }

    // MARK: - Talking to the learner

    private func send(_ message: WireMessage, over transport: any WorkerTransport) async throws {
        try await transport.send(try codec.encode(message, senderID: "rogue").map(Frame.init))
    }

    /// Asks for work until an assignment with questions comes back.
    private func firstAssignment(over transport: any WorkerTransport) async throws -> WorkAssignment {
        for _ in 0..<100 {
            try await send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: 1)), over: transport)
            while let frames = try await transport.receive(within: .seconds(10)) {
                guard case .workAssignment(let assignment) = try codec.decode(frames.map(\.bytes)).message else {
                    continue
                }
                if !assignment.questions.isEmpty { return assignment }
                break
            }
        }
        throw FloodError("no assignment for the rogue")
    }

    /// The next error reply, skipping heartbeats, welcomes and acknowledgements.
    private func errorReply(from transport: any WorkerTransport) async throws -> ErrorReply? {
        while let frames = try await transport.receive(within: .seconds(10)) {
            if case .errorReply(let reply) = try codec.decode(frames.map(\.bytes)).message { return reply }
        }
        return nil
    }
}

/// A flood that could not be set up.
struct FloodError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// `count` bytes from `generator`.
private func randomBytes(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<count { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
    return bytes
}
