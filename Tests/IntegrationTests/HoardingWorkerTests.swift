import Synchronization
import Testing
import VRLearner
import VRTestSupport
import VRText
import VRTransport
import VRWire
import VRWorker

/// A peer that takes assignments and never returns them, while heartbeating so it is never declared lost, beside
/// two honest workers: its assignments pass their deadline and go to the others, and the versions keep advancing.
@Suite("hoarding worker")
struct HoardingWorkerTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)

    /// What the hoarder saw.
    struct HoarderLog: Sendable {
        /// Assignments it took (with questions).
        var hoarded: [WorkAssignment] = []
        /// Assignment ids the learner said had expired.
        var expiredNotices: [UInt64] = []
        /// The learner's answers to late batches for expired assignments.
        var lateBatchReplies: [ErrorReply] = []
    }

    /// The hoarder's log, shared with the test.
    final class HoarderRecord: Sendable {
        let state = Mutex(HoarderLog())
    }

    @Test("a hoarding peer's assignments expire and are handed out again; versions keep advancing")
    func hoarder() async throws {
        let dataset = try InProcessClusterTests.dataset()
        let hub = try InProcessHub()
        let hoarderTransport = hub.makeWorker(identity: try PeerID("hoarder"))
        var configuration = InProcessClusterTests.learnerConfiguration()
        configuration.modelSteps = 6
        // A deadline far below the worker timeout: the hoarder, which heartbeats, is never declared lost (not even
        // when a loaded machine delays its heartbeats), so only the deadline can take its work back. The derived
        // deadline is tested in LearnerStateMachineTests.deadlines.
        configuration.policy.workerTimeout = .seconds(60)
        configuration.policy.assignmentDeadline = .seconds(1)
        let versions = Mutex<[UInt64]>([])
        let learner = try InProcessClusterTests.learner(
            configuration, dataset: dataset, transport: try hub.makeLearner(), closesThoughtsAtOnce: true,
            onEvent: { event in
                if case .step(let metrics) = event { versions.withLock { $0.append(metrics.parameterVersion) } }
            }
        )
        let log = HoarderRecord()
        let hoarder = Task { await hoard(over: hoarderTransport, fingerprint: dataset.fingerprint, log: log) }
        let finished = Mutex(false)
        let learnerRun = Task {
            defer { finished.withLock { $0 = true } }
            return try await learner.run()
        }
        // The honest workers join once the hoarder's first assignment has expired: the learner, which buffers the
        // batches it receives, could otherwise finish on the honest workers' questions before any deadline passed.
        try await eventually(within: 120) { !log.state.withLock(\.expiredNotices).isEmpty }
        let honest = try ["w1", "w2"].map { name in
            try WorkerService(
                configuration: InProcessClusterTests.workerConfiguration(seed: name == "w1" ? 1 : 2), dataset: dataset,
                transport: hub.makeWorker(identity: PeerID(name)))
        }
        let honestRuns = honest.map { worker in Task { try await worker.run() } }
        try await eventually(within: 300) { finished.withLock { $0 } }
        let summary = try await learnerRun.value
        hoarder.cancel()
        for run in honestRuns { run.cancel() }
        await hoarder.value
        let seen = log.state.withLock { $0 }

        #expect(summary.modelSteps == 6)
        #expect(summary.counters.expiredAssignments >= 1)
        #expect(Set(seen.expiredNotices).isSubset(of: Set(seen.hoarded.map(\.assignmentID))))
        #expect(!seen.expiredNotices.isEmpty, "the hoarder was never told its assignment expired")
        #expect(!seen.lateBatchReplies.isEmpty)
        for reply in seen.lateBatchReplies {
            #expect(reply.code == .assignmentExpired && reply.batchSequence != nil && reply.assignmentID != nil)
        }
        let reached = versions.withLock { $0 }
        #expect(reached == Array(2...summary.parameterVersion))
        print(
            "hoarding peer: versions reached \(summary.parameterVersion) in \(reached.count) steps; "
                + "\(seen.hoarded.count) assignments hoarded, \(summary.counters.expiredAssignments) expired and "
                + "handed out again, \(seen.lateBatchReplies.count) late batches refused")
    }

    /// Says hello, takes all the work it may, never returns any, and heartbeats; when told an assignment expired,
    /// it sends a late batch for it and takes more work. Runs until cancelled.
    private func hoard(over transport: any WorkerTransport, fingerprint: String, log: HoarderRecord) async {
        var sequence: UInt64 = 0
        let clock = ContinuousClock()
        var lastHeartbeat = clock.now
        do {
            try await send(
                .hello(
                    WorkerHello(
                        softwareVersion: "hoarder", parameterVersion: 0, datasetFingerprint: fingerprint)),
                over: transport)
            while !Task.isCancelled {
                if clock.now - lastHeartbeat >= .milliseconds(100) {
                    lastHeartbeat = clock.now
                    try await send(
                        .heartbeat(Heartbeat(parameterVersion: 1)), over: transport)
                }
                guard let frames = try await transport.receive(within: .milliseconds(100)) else { continue }
                switch try codec.decode(frames.map(\.bytes)).message {
                case .welcome:
                    try await send(.workRequest(WorkRequest(questionCount: 2, parameterVersion: 1)), over: transport)
                case .workAssignment(let assignment) where assignment.questions.isEmpty:
                    try await send(.workRequest(WorkRequest(questionCount: 2, parameterVersion: 1)), over: transport)
                case .workAssignment(let assignment):
                    log.state.withLock { $0.hoarded.append(assignment) }
                case .errorReply(let error) where error.code == .assignmentExpired && error.batchSequence == nil:
                    let held = log.state.withLock { seen in seen.hoarded.first { $0.assignmentID == error.assignmentID }
                    }
                    guard let held else { continue }
                    log.state.withLock { $0.expiredNotices.append(held.assignmentID) }
                    sequence += 1
                    try await send(.rolloutBatch(lateBatch(for: held, sequence: sequence)), over: transport)
                    try await send(.workRequest(WorkRequest(questionCount: 2, parameterVersion: 1)), over: transport)
                case .errorReply(let error) where error.code == .unknownWorker:
                    // Declared lost (it never is while it heartbeats, but a hoarder would come back).
                    try await send(
                        .hello(
                            WorkerHello(
                                softwareVersion: "hoarder", parameterVersion: 0,
                                datasetFingerprint: fingerprint)),
                        over: transport)
                case .errorReply(let error) where error.batchSequence != nil:
                    log.state.withLock { $0.lateBatchReplies.append(error) }
                default:
                    continue
                }
            }
        } catch {
            // Cancelled or the hub closed: the run is over.
        }
    }

    /// A well-formed batch for an assignment the hoarder no longer holds.
    private func lateBatch(for assignment: WorkAssignment, sequence: UInt64) -> RolloutBatch {
        let trace = TraceRecord(
            promptTokenIDs: [1], traceTokenIDs: [2], behaviourLogProbs: [-1],
            sampledAnswers: SampledAnswers(correctCount: 0, answerCount: 1))
        return RolloutBatch(
            workerID: "hoarder", batchSequence: sequence, assignmentID: assignment.assignmentID,
            samplingParameterVersion: assignment.parameterVersion, scoringParameterVersion: assignment.parameterVersion,
            questions: assignment.questions.map {
                QuestionRollout(questionID: $0.questionID, phase: $0.phase, traces: [trace])
            })
    }

    private func send(_ message: WireMessage, over transport: any WorkerTransport) async throws {
        try await transport.send(try codec.encode(message, senderID: "hoarder").map(Frame.init))
    }
}
