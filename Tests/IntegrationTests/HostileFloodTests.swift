import Foundation
import Synchronization
import Testing
import VRCore
import VRTensor
import VRTestSupport
import VRText
import VRTransport
import VRWire
import VRZMQ

/// A hostile peer floods a `vr learner` process over its ZeroMQ socket with 6,000 bad messages of 21 kinds while
/// two honest `vr worker` processes train: every message but the oversized frames is answered with an error
/// reply and counted in the learner's metrics by reason and by the message refused, oversized frames drop the
/// connection unread, the learner's resident memory stays within its stated bound while frames at the size
/// limit arrive in a burst, and the honest workers lose nothing.
@Suite("hostile flood", .serialized)
struct HostileFloodTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)

    /// The kinds of hostile message.
    enum Kind: String, CaseIterable {
        // Batches and lifecycle messages sent while welcomed, holding an assignment.
        case wrongTraceCount, tokenOutOfRange, negativeTokenID, lyingTokenCount, moreCorrectThanSampled
        case unassignedQuestion, repeatedQuestion, nonFiniteLogProb, positiveLogProb, unknownAssignment
        case futureVersion, foreignSender, learnerMessage
        // Sent after a goodbye.
        case randomBytes, truncatedFrame, wrongVersion, missingVersion, extraFrames, afterGoodbye
        /// A frame of exactly the size limit, read in full and refused.
        case largestFrame
        /// A frame one byte over the limit: the connection drops before it is read, so nothing answers.
        case oversizedFrame

        static let whileWelcomed: [Kind] = [
            .wrongTraceCount, .tokenOutOfRange, .negativeTokenID, .lyingTokenCount, .moreCorrectThanSampled,
            .unassignedQuestion, .repeatedQuestion, .nonFiniteLogProb, .positiveLogProb, .unknownAssignment,
            .futureVersion, .foreignSender, .learnerMessage,
        ]
        static let afterLeaving: [Kind] = [
            .randomBytes, .truncatedFrame, .wrongVersion, .missingVersion, .extraFrames, .afterGoodbye,
        ]

        /// The error codes the learner may answer with (none for an oversized frame).
        var expectedCodes: Set<String> {
            switch self {
            case .extraFrames, .largestFrame: ["malformed_frame"]
            // Bytes that happen to start valid fields parse on into whatever check they fail first.
            case .randomBytes:
                ["malformed_frame", "missing_field", "unsupported_version", "invalid_value", "too_large"]
            // A cut can fall anywhere, also at a field boundary that leaves a shorter, well-formed message.
            case .truncatedFrame:
                ["malformed_frame", "missing_field", "invalid_value", "inconsistent_batch", "unknown_worker"]
            case .wrongVersion: ["unsupported_version"]
            case .missingVersion: ["missing_field"]
            case .afterGoodbye: ["unknown_worker"]
            case .tokenOutOfRange, .negativeTokenID, .nonFiniteLogProb, .positiveLogProb, .foreignSender:
                ["invalid_value"]
            case .wrongTraceCount, .lyingTokenCount, .moreCorrectThanSampled, .unassignedQuestion, .repeatedQuestion:
                ["inconsistent_batch"]
            case .unknownAssignment, .learnerMessage: ["unexpected_message"]
            case .futureVersion: ["version_out_of_range"]
            case .oversizedFrame: []
            }
        }
    }

    @Test("6,000 hostile messages of 21 kinds are refused and counted; memory stays bounded; honest workers train")
    func flood() async throws {
        let fixture = try ClusterFixture(name: "flood", closesThoughtsAtOnce: true)
        // The hostile peer holds an assignment through its batches: no deadline may take it back meanwhile.
        let learner = try fixture.learner(
            run: "run", modelSteps: 1_000_000,
            extra: ["--metrics-address", "127.0.0.1:0", "--assignment-deadline-ms", "600000"])
        let workers = try await [
            fixture.worker("w1", extra: ["--metrics-address", "127.0.0.1:0"]),
            fixture.worker("w2", extra: ["--metrics-address", "127.0.0.1:0"]),
        ]
        let status = try await learner.statusAddress()
        var workerStatus: [String] = []
        for worker in workers { workerStatus.append(try await worker.statusAddress()) }
        #expect(await learner.waitForLine(containing: "step 2 ", seconds: 120), "\(learner.output)")
        let before = try learner.residentMemory()

        let fuzzer = try ZMQWorkerTransport(
            identity: try PeerID("fuzzer"), configuration: try fuzzerConfiguration(endpoints: fixture.endpoints))
        let fingerprint = try InProcessClusterTests.dataset().fingerprint
        try await send(
            .hello(
                WorkerHello(
                    softwareVersion: "fuzzer", parameterVersion: 0, datasetFingerprint: fingerprint)
            ),
            over: fuzzer)
        let connections = Mutex(0)
        let watcher = Task {
            for await event in fuzzer.events where event == .connected { connections.withLock { $0 += 1 } }
        }
        defer { watcher.cancel() }
        let assignment = try await firstAssignment(over: fuzzer)
        let question = try #require(assignment.questions.first)

        var plan: [Kind] = (0..<3_000).map { Kind.whileWelcomed[$0 % Kind.whileWelcomed.count] }
        plan += (0..<2_940).map { Kind.afterLeaving[$0 % Kind.afterLeaving.count] }
        plan += Array(repeating: .largestFrame, count: 40) + Array(repeating: .oversizedFrame, count: 20)
        var answered: [Kind: [String: Int]] = [:]
        var reconnectProbes: [String: Int] = [:]
        // What the learner must count: its reply's code and the name of the message it refused.
        var refusedPairs: [RefusalLabel: Int] = [:]
        var generator = SeededGenerator(seed: 0xF100D)
        var burst: [Kind] = []
        for (index, kind) in plan.enumerated() {
            if index == 3_000 { try await send(.goodbye(Goodbye(reason: "flood")), over: fuzzer) }
            let frames = try hostileFrames(
                kind, assignment: assignment, question: question, sequence: UInt64(index + 1), generator: &generator)
            try await fuzzer.send(frames.map(Frame.init))
            if kind == .largestFrame {
                // Frames at the limit go out in one burst, answered afterwards, so that they queue in the learner.
                burst.append(kind)
                if plan[index + 1] == .largestFrame { continue }
                for kind in burst {
                    let code = try await errorReply(from: fuzzer, within: .seconds(60))?.code.label ?? "no reply"
                    answered[kind, default: [:]][code, default: 0] += 1
                    refusedPairs[RefusalLabel(reason: code, message: "unparsed"), default: 0] += 1
                }
                burst = []
                continue
            }
            if kind == .oversizedFrame {
                // Nothing answers the frame: it dropped the connection. The peer reconnects and is heard again.
                let connectedBefore = connections.withLock { $0 }
                try await VRTestSupport.eventually(within: 30) { connections.withLock { $0 } > connectedBefore }
                try await send(.heartbeat(Heartbeat(parameterVersion: 0)), over: fuzzer)
                let code = try await errorReply(from: fuzzer, within: .seconds(30))?.code.label ?? "no reply"
                reconnectProbes[code, default: 0] += 1
                refusedPairs[RefusalLabel(reason: code, message: "Heartbeat"), default: 0] += 1
                continue
            }
            let code = try await errorReply(from: fuzzer)?.code.label ?? "no reply"
            answered[kind, default: [:]][code, default: 0] += 1
            refusedPairs[RefusalLabel(reason: code, message: messageName(of: frames)), default: 0] += 1
        }
        let memory = try learner.residentMemory()
        let stepsAfterFlood = steps(of: learner)
        #expect(
            await eventually(seconds: 120) { steps(of: learner) >= stepsAfterFlood + 2 },
            "training stopped after the flood: \(learner.output)")
        let metrics = try await httpGet(status + "/metrics").body
        var workerMetrics: [String] = []
        for address in workerStatus { workerMetrics.append(try await httpGet(address + "/metrics").body) }
        await fuzzer.close()
        learner.process.terminate()
        #expect(await learner.waitForExit(seconds: 60) == 0, "\(learner.output)")
        for worker in workers { worker.process.terminate() }

        var answeredByCode: [String: Int] = [:]
        for kind in Kind.allCases where kind != .oversizedFrame {
            let codes = answered[kind] ?? [:]
            #expect(Set(codes.keys).isSubset(of: kind.expectedCodes), "\(kind): \(codes)")
            answeredByCode.merge(codes, uniquingKeysWith: +)
        }
        #expect(reconnectProbes == ["unknown_worker": 20], "after an oversized frame: \(reconnectProbes)")
        answeredByCode.merge(reconnectProbes, uniquingKeysWith: +)
        // The learner counted every refusal it sent, by reason and message, and refused nothing else.
        #expect(refusals(in: metrics) == refusedPairs, "\(metrics)")
        #expect(
            Dictionary(refusedPairs.map { ($0.key.reason, $0.value) }, uniquingKeysWith: +) == answeredByCode)
        // The honest workers lost nothing: every batch they sent was accepted, none dropped or refused. A worker
        // waits for each batch's acknowledgement before it asks for more work, so at most its last batch may still
        // await it as the metrics are read.
        #expect(!metrics.contains("vr_learner_dropped_batches_total"), "\(metrics)")
        for (worker, metrics) in zip(workers, workerMetrics) {
            let sent = try #require(value(of: "vr_worker_batches_total", in: metrics), "\(metrics)")
            #expect(sent > 0, "\(worker.output)")
            let accepted = value(of: #"vr_worker_acknowledged_batches_total{status="accepted"}"#, in: metrics) ?? 0
            #expect((sent - 1...sent).contains(accepted), "\(metrics)")
            #expect(value(of: "vr_worker_refusals_total", in: metrics) == 0, "\(metrics)")
        }
        // A frame at the limit is read in full, one over it is not read at all. The learner queues at most its
        // receive budget of messages, and libzmq at most budget / frame limit messages per connection.
        let transport = TransportConfiguration()
        let bound = 2 * transport.receiveHighWaterMarkBytes + transport.maximumFrameBytes
        #expect(memory.peak - before.current < bound, "peak \(memory.peak) from \(before.current)")
        let counts = refusedPairs.sorted { ($0.key.reason, $0.key.message) < ($1.key.reason, $1.key.message) }
            .map { "\($0.key.reason)/\($0.key.message) \($0.value)" }
        let sent = Dictionary(plan.map { ($0, 1) }, uniquingKeysWith: +)
        let byKind = Kind.allCases.map { "\($0.rawValue) \(sent[$0, default: 0])" }
        print(
            "hostile flood: \(plan.count) messages of \(Kind.allCases.count) kinds (\(byKind.joined(separator: ", "))); "
                + "refused, by reason/message: \(counts.joined(separator: ", ")); "
                + "20 oversized frames dropped the connection unread, and the peer was heard again after each; "
                + "learner resident memory \(before.current >> 20) MiB "
                + "before, peak \(memory.peak >> 20) MiB (bound +\(bound >> 20) MiB); \(stepsAfterFlood) steps logged "
                + "by the end of the flood")
    }

    // MARK: - Hostile messages

    private func hostileFrames(
        _ kind: Kind, assignment: WorkAssignment, question: QuestionAssignment, sequence: UInt64,
        generator: inout SeededGenerator
    ) throws -> [[UInt8]] {
        let heartbeat = try codec.encode(
            .heartbeat(Heartbeat(parameterVersion: 0)), senderID: "fuzzer")[0]
        switch kind {
        case .randomBytes:
            // Any first byte; those that start a valid field make the parser read on into the random rest.
            return [randomBytes(Int.random(in: 1..<200, using: &generator), &generator)]
        case .truncatedFrame:
            let whole = try codec.encode(.rolloutBatch(batch(assignment, question, sequence)), senderID: "fuzzer")[0]
            return [Array(whole.prefix(Int.random(in: 0..<whole.count, using: &generator)))]
        case .largestFrame:
            return [[0x07] + [UInt8](repeating: 0x0A, count: WireLimits.frameBytesCap - 1)]
        case .oversizedFrame:
            return [[UInt8](repeating: 0x0A, count: WireLimits.frameBytesCap + 1)]
        case .extraFrames:
            return [heartbeat, randomBytes(Int.random(in: 1...64, using: &generator), &generator)]
        case .wrongVersion, .missingVersion:
            // The envelope starts with field 1, the protocol version, as one varint byte.
            guard heartbeat[0] == 0x08 && heartbeat[1] == 0x01 else {
                throw FloodError("the envelope does not start with 1")
            }
            var patched = heartbeat
            patched[1] = kind == .missingVersion ? 0 : UInt8.random(in: 2...127, using: &generator)
            return [patched]
        case .afterGoodbye:
            let messages: [WireMessage] = [
                .heartbeat(Heartbeat(parameterVersion: 0)),
                .workRequest(WorkRequest(questionCount: 1, parameterVersion: 0)),
                .snapshotRequest(SnapshotRequest(parameterVersion: 0)), .goodbye(Goodbye(reason: "again")),
                .rolloutBatch(batch(assignment, question, sequence)),
            ]
            return try codec.encode(messages[Int(sequence) % messages.count], senderID: "fuzzer")
        case .foreignSender:
            return try codec.encode(
                .heartbeat(Heartbeat(parameterVersion: 0)), senderID: "other")
        case .learnerMessage:
            let messages: [WireMessage] = [
                .batchAck(BatchAck(batchSequence: sequence, status: .accepted, parameterVersion: 1)),
                .workAssignment(WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [])),
            ]
            return try codec.encode(messages[Int(sequence) % messages.count], senderID: "fuzzer")
        default:
            return try codec.encode(
                .rolloutBatch(batch(assignment, question, sequence, breaking: kind)), senderID: "fuzzer")
        }
    }

    /// A batch for the fuzzer's assignment, broken the way `kind` says.
    private func batch(
        _ assignment: WorkAssignment, _ question: QuestionAssignment, _ sequence: UInt64, breaking kind: Kind? = nil
    ) -> RolloutBatch {
        var trace = TraceRecord(
            promptTokenIDs: [1, 2], traceTokenIDs: [3, 4], behaviourLogProbs: [-1, -1],
            sampledAnswers: SampledAnswers(correctCount: 1, answerCount: 2))
        var traceCount = question.traceCount
        var questionID = question.questionID
        var assignmentID = assignment.assignmentID
        var version = assignment.parameterVersion
        var questionCount = 1
        switch kind {
        case .wrongTraceCount: traceCount += 1
        case .tokenOutOfRange: trace.traceTokenIDs[0] = Int32(ByteTokenizer.vocabularySize + 7)
        case .negativeTokenID: trace.promptTokenIDs[1] = -3
        case .lyingTokenCount: trace.behaviourLogProbs = [-1]
        case .moreCorrectThanSampled: trace.sampledAnswers = SampledAnswers(correctCount: 3, answerCount: 2)
        case .unassignedQuestion: questionID = "not-assigned"
        case .repeatedQuestion: questionCount = 2
        case .nonFiniteLogProb: trace.behaviourLogProbs[1] = .nan
        case .positiveLogProb: trace.behaviourLogProbs[0] = 0.5
        case .unknownAssignment: assignmentID = 999_999
        case .futureVersion:
            // An assignment the learner has not handed out, so that the version is the first thing it judges.
            assignmentID = 999_999
            version = .max
        default: break
        }
        let rollout = QuestionRollout(
            questionID: questionID, phase: question.phase, traces: Array(repeating: trace, count: traceCount))
        return RolloutBatch(
            workerID: "fuzzer", batchSequence: sequence, assignmentID: assignmentID,
            samplingParameterVersion: version, scoringParameterVersion: version,
            questions: Array(repeating: rollout, count: questionCount))
    }

    // MARK: - Talking to the learner

    /// The learner's endpoints, with room to send frames over the limit.
    private func fuzzerConfiguration(endpoints: String) throws -> TransportConfiguration {
        let written = try JSONDecoder().decode(
            [String: String].self, from: try Data(contentsOf: URL(fileURLWithPath: endpoints)))
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = try #require(written["request"])
        configuration.publishEndpoint = try #require(written["publish"])
        configuration.maximumFrameBytes = 2 * WireLimits.frameBytesCap
        configuration.reconnectMaximumMilliseconds = 1_000
        return configuration
    }

    private func send(_ message: WireMessage, over transport: any WorkerTransport) async throws {
        try await transport.send(try codec.encode(message, senderID: "fuzzer").map(Frame.init))
    }

    /// Asks for work until an assignment with questions comes back.
    private func firstAssignment(over transport: any WorkerTransport) async throws -> WorkAssignment {
        for _ in 0..<600 {
            try await send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: 1)), over: transport)
            while let frames = try await transport.receive(within: .seconds(10)) {
                guard case .workAssignment(let assignment) = try codec.decode(frames.map(\.bytes)).message else {
                    continue
                }
                if !assignment.questions.isEmpty { return assignment }
                try await Task.sleep(for: .milliseconds(100))
                break
            }
        }
        throw FloodError("no assignment for the fuzzer")
    }

    /// The next error reply, skipping heartbeats, welcomes and parameter messages.
    private func errorReply(
        from transport: any WorkerTransport, within timeout: Duration = .seconds(10)
    ) async throws -> ErrorReply? {
        while let frames = try await transport.receive(within: timeout) {
            if case .errorReply(let reply) = try codec.decode(frames.map(\.bytes)).message { return reply }
        }
        return nil
    }

    /// A refusal as the learner's metrics label it.
    struct RefusalLabel: Hashable {
        let reason: String
        let message: String
    }

    /// The name the learner gives the message in `frames` when it refuses it: what this codec decodes, or
    /// "unparsed" when the envelope does not parse.
    private func messageName(of frames: [[UInt8]]) -> String {
        do throws(WireError) {
            return try codec.decode(frames).message.name
        } catch {
            return error.messageName ?? "unparsed"
        }
    }

    /// The learner's `vr_learner_rejected_messages_total` counts by reason and message.
    private func refusals(in metrics: String) -> [RefusalLabel: Int] {
        var counts: [RefusalLabel: Int] = [:]
        for line in metrics.split(separator: "\n") where line.hasPrefix("vr_learner_rejected_messages_total{") {
            guard let reason = label("reason", in: line), let message = label("message", in: line),
                let count = Int(line.split(separator: " ").last ?? "")
            else { continue }
            counts[RefusalLabel(reason: reason, message: message), default: 0] += count
        }
        return counts
    }

    /// The value of label `name` in a Prometheus sample line.
    private func label(_ name: String, in line: Substring) -> String? {
        guard let start = line.range(of: name + "=\""), let end = line[start.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(line[start.upperBound..<end])
    }

    /// The value of the sample `series` (name and labels, exactly as exposed), or nil when absent.
    private func value(of series: String, in metrics: String) -> Int? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Int(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    /// The optimizer steps the learner has logged.
    private func steps(of learner: VRProcess) -> Int {
        learner.output.split(separator: "\n").count { $0.hasPrefix("step ") }
    }

    /// Polls `condition` every 100 ms.
    /// - Returns: whether it held within `seconds`.
    private func eventually(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
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
