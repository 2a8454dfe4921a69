// The worker's protocol logic, event by event: every message sent, every load and sample asked for.

import Testing
import VRWire
import VRWorker

@Suite("worker state machine")
struct WorkerStateMachineTests {
    static let values: [Float] = [0.5, -1, 2, 0.25, 3, -0.75]

    /// The learner's welcome: heartbeats every second, dead after 3 silent ones.
    static func welcome(instance: String = "learner-1", version: UInt64) -> WireMessage {
        .welcome(
            Welcome(
                learnerInstanceID: instance, parameterVersion: version, heartbeatInterval: .seconds(1),
                heartbeatLiveness: 3, maxLag: 2))
    }

    /// A snapshot of `values` at `version`, cut into chunks of 8 bytes.
    static func snapshot(version: UInt64) -> [WireMessage] {
        values.withUnsafeBufferPointer {
            ParameterSnapshot(
                parameters: $0, parameterVersion: version, modelConfigurationJSON: "{}", chunkByteCount: 8)
        }
        .messages
    }

    static func parameters(version: UInt64) -> ReceivedParameters {
        ReceivedParameters(parameterVersion: version, configurationJSON: "{}", values: values)
    }

    static func assignment(id: UInt64, version: UInt64, questions: [String] = ["q1"]) -> WorkAssignment {
        WorkAssignment(
            assignmentID: id, parameterVersion: version,
            questions: questions.map { QuestionAssignment(questionID: $0, phase: .model, traceCount: 2) })
    }

    static func workRequest(version: UInt64) -> WorkerAction {
        .send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: version)))
    }

    static func hello(version: UInt64) -> WorkerAction {
        .send(.hello(WorkerHello(softwareVersion: "vr 0.1", parameterVersion: version, datasetFingerprint: "fp")))
    }

    static func rollout(_ id: String) -> QuestionRollout {
        let trace = TraceRecord(
            promptTokenIDs: [1], traceTokenIDs: [2, 3], behaviourLogProbs: [-1, -0.5],
            sampledAnswers: SampledAnswers(correctCount: 1, answerCount: 2))
        return QuestionRollout(questionID: id, phase: .model, traces: [trace, trace])
    }

    /// A machine welcomed by learner-1 at version 3, holding its parameters, with a work request out (at 1 s).
    static func working(_ configuration: WorkerConfiguration = WorkerConfiguration()) -> WorkerStateMachine {
        var machine = WorkerStateMachine(configuration: configuration, workerID: "w", datasetFingerprint: "fp")
        _ = machine.start(at: .zero)
        _ = machine.received(welcome(version: 3), at: .seconds(1))
        for message in snapshot(version: 3) { _ = machine.received(message, at: .seconds(1)) }
        return machine
    }

    @Test("joining: hello, welcome, snapshot request, the snapshot loaded, then a work request")
    func joining() {
        var machine = WorkerStateMachine(configuration: WorkerConfiguration(), workerID: "w", datasetFingerprint: "fp")
        #expect(machine.start(at: .zero) == [Self.hello(version: 0)])
        #expect(machine.phase == .joining)
        #expect(
            machine.received(Self.welcome(version: 3), at: .seconds(1)) == [
                .report(.welcomed(learnerInstanceID: "learner-1", parameterVersion: 3)), .forgetBroadcasts,
                .send(.snapshotRequest(SnapshotRequest(parameterVersion: 0))),
            ])
        let parts = Self.snapshot(version: 3)
        #expect(parts.count == 4)  // the announcement and three chunks of two values
        for part in parts.dropLast() { #expect(machine.received(part, at: .seconds(1)).isEmpty) }
        #expect(
            machine.received(parts[parts.count - 1], at: .seconds(1)) == [
                .load(Self.parameters(version: 3)), .report(.applied(parameterVersion: 3, viaSnapshot: true)),
                Self.workRequest(version: 3),
            ])
        #expect(machine.phase == .requestingWork && machine.parameterVersion == 3)
    }

    @Test("hello is said again every 2 s until a welcome, and the worker stops once the learner is gone too long")
    func helloRetries() {
        var configuration = WorkerConfiguration()
        configuration.learnerGoneMilliseconds = 5_000
        var machine = WorkerStateMachine(configuration: configuration, workerID: "w", datasetFingerprint: "fp")
        _ = machine.start(at: .zero)
        #expect(machine.tick(at: .milliseconds(1_999)).isEmpty)
        #expect(machine.tick(at: .seconds(2)) == [Self.hello(version: 0)])
        #expect(machine.tick(at: .seconds(4)) == [Self.hello(version: 0)])
        #expect(machine.tick(at: .seconds(6)).isEmpty)
        #expect(machine.isFinished)
    }

    @Test("a dataset mismatch ends the run with the learner's reason; other refusals are reported")
    func datasetMismatch() {
        var machine = WorkerStateMachine(configuration: WorkerConfiguration(), workerID: "w", datasetFingerprint: "fp")
        _ = machine.start(at: .zero)
        let busy = ErrorReply(code: .tooLarge, reason: "busy")
        #expect(machine.received(.errorReply(busy), at: .seconds(1)) == [.report(.refused(reason: "busy"))])
        let mismatch = ErrorReply(code: .datasetMismatch, reason: "dataset fingerprint fp differs")
        #expect(
            machine.received(.errorReply(mismatch), at: .seconds(1)) == [
                .report(.refused(reason: mismatch.reason)), .fail(.invalidConfiguration(mismatch.reason)),
            ])
        #expect(machine.isFinished)
    }

    @Test("an assignment is sampled, its batch sent, and the acknowledgement leads to the next request")
    func assignmentCycle() {
        var machine = Self.working()
        let assignment = Self.assignment(id: 7, version: 3, questions: ["q1", "q2"])
        #expect(
            machine.received(.workAssignment(assignment), at: .seconds(2)) == [
                .report(.assigned(assignmentID: 7, questionCount: 2)), .sample(assignment),
            ])
        #expect(machine.phase == .sampling(assignment, startedAt: .seconds(2)))
        let rollouts = [Self.rollout("q1"), Self.rollout("q2")]
        let batch = RolloutBatch(
            workerID: "w", batchSequence: 1, assignmentID: 7, samplingParameterVersion: 3, scoringParameterVersion: 3,
            questions: rollouts)
        #expect(
            machine.rolloutsSampled(rollouts, at: .milliseconds(2_500)) == [
                .send(.rolloutBatch(batch)),
                .report(.batchSent(sequence: 1, assignmentID: 7, questionCount: 2, traceCount: 4, seconds: 0.5)),
            ])
        // An acknowledgement of another batch is not this one's.
        let other = BatchAck(batchSequence: 9, status: .accepted, parameterVersion: 3)
        #expect(machine.received(.batchAck(other), at: .seconds(3)).isEmpty)
        let ack = BatchAck(batchSequence: 1, status: .accepted, parameterVersion: 4)
        #expect(
            machine.received(.batchAck(ack), at: .seconds(3)) == [
                .report(.batchAcknowledged(sequence: 1, status: "accepted", detail: "")), Self.workRequest(version: 3),
            ])
        #expect(machine.summary.batchCount == 1 && machine.summary.traceCount == 4)
        #expect(machine.summary.parameterVersion == 3)
    }

    @Test("no work: wait retry_after (at least 20 ms), then ask again, applying the newest broadcast first")
    func emptyAssignmentAndBroadcast() {
        var machine = Self.working()
        let empty = WorkAssignment(assignmentID: 0, parameterVersion: 3, questions: [], retryAfter: .milliseconds(5))
        #expect(machine.received(.workAssignment(empty), at: .milliseconds(1_500)).isEmpty)
        #expect(machine.phase == .waitingToRetry(until: .milliseconds(1_520)))
        machine.broadcastArrived(Self.parameters(version: 2))  // older than the models': ignored
        machine.broadcastArrived(Self.parameters(version: 5))
        #expect(machine.tick(at: .milliseconds(1_510)).isEmpty)
        #expect(
            machine.tick(at: .milliseconds(1_520)) == [
                .load(Self.parameters(version: 5)), .report(.applied(parameterVersion: 5, viaSnapshot: false)),
                Self.workRequest(version: 5),
            ])
    }

    @Test("an assignment far ahead of the parameters held is sampled only after a fresh snapshot")
    func farBehind() {
        var machine = Self.working()
        let assignment = Self.assignment(id: 4, version: 6)  // 3 versions ahead, max lag 2
        #expect(
            machine.received(.workAssignment(assignment), at: .seconds(2)) == [
                .send(.snapshotRequest(SnapshotRequest(parameterVersion: 3)))
            ])
        var actions: [WorkerAction] = []
        for part in Self.snapshot(version: 6) { actions = machine.received(part, at: .seconds(2)) }
        #expect(
            actions == [
                .load(Self.parameters(version: 6)), .report(.applied(parameterVersion: 6, viaSnapshot: true)),
                .report(.assigned(assignmentID: 4, questionCount: 1)), .sample(assignment),
            ])
    }

    @Test("an assignment that expires while it is sampled is dropped unsent; the worker asks for more work")
    func expiryWhileSampling() {
        var machine = Self.working()
        _ = machine.received(.workAssignment(Self.assignment(id: 1, version: 3)), at: .seconds(2))
        let other = ErrorReply(code: .assignmentExpired, reason: "another", assignmentID: 9)
        let expired = ErrorReply(code: .assignmentExpired, reason: "late", assignmentID: 1)
        #expect(machine.received(.errorReply(other), at: .seconds(3)) == [.report(.refused(reason: "another"))])
        #expect(machine.received(.errorReply(expired), at: .seconds(3)) == [.report(.refused(reason: "late"))])
        #expect(
            machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(4)) == [
                .report(.dropped(assignmentID: 1)), Self.workRequest(version: 3),
            ])
        #expect(machine.summary.batchCount == 0)
        // The next assignment is sent as usual, numbered 1: nothing went out for the dropped one.
        _ = machine.received(.workAssignment(Self.assignment(id: 2, version: 3)), at: .seconds(5))
        let sent = machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(6))
        guard case .send(.rolloutBatch(let batch)) = sent.first else {
            Issue.record("no batch sent: \(sent)")
            return
        }
        #expect(batch.assignmentID == 2 && batch.batchSequence == 1)
    }

    @Test("an assignment that expires while its snapshot is fetched is dropped; the snapshot still loads")
    func expiryWhileFetchingSnapshot() {
        var machine = Self.working()
        let assignment = Self.assignment(id: 4, version: 6)
        _ = machine.received(.workAssignment(assignment), at: .seconds(2))
        let expired = ErrorReply(code: .assignmentExpired, reason: "late", assignmentID: 4)
        #expect(
            machine.received(.errorReply(expired), at: .seconds(2)) == [
                .report(.refused(reason: "late")), .report(.dropped(assignmentID: 4)),
            ])
        var actions: [WorkerAction] = []
        for part in Self.snapshot(version: 6) { actions = machine.received(part, at: .seconds(3)) }
        #expect(
            actions == [
                .load(Self.parameters(version: 6)), .report(.applied(parameterVersion: 6, viaSnapshot: true)),
                Self.workRequest(version: 6),
            ])
    }

    @Test("an expired assignment's batch is refused and the worker goes on; a refused batch means hello again")
    func refusedBatches() {
        var machine = Self.working()
        _ = machine.received(.workAssignment(Self.assignment(id: 1, version: 3)), at: .seconds(2))
        _ = machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(2))
        let expired = ErrorReply(code: .assignmentExpired, reason: "late", batchSequence: 1, assignmentID: 1)
        #expect(
            machine.received(.errorReply(expired), at: .seconds(3)) == [
                .report(.batchAcknowledged(sequence: 1, status: "expired", detail: "late")),
                Self.workRequest(version: 3),
            ])
        _ = machine.received(.workAssignment(Self.assignment(id: 2, version: 3)), at: .seconds(3))
        _ = machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(3))
        let refused = ErrorReply(code: .inconsistentBatch, reason: "bad batch", batchSequence: 2)
        #expect(
            machine.received(.errorReply(refused), at: .seconds(4)) == [
                .report(.refused(reason: "bad batch")), .report(.rejoining(reason: "the learner refused batch 2")),
                Self.hello(version: 3),
            ])
        // Welcomed again by the same learner at the same version: no snapshot, straight to work.
        #expect(
            machine.received(Self.welcome(version: 3), at: .seconds(5)) == [
                .report(.welcomed(learnerInstanceID: "learner-1", parameterVersion: 3)), Self.workRequest(version: 3),
            ])
    }

    @Test("a restarted learner's welcome drops the broadcasts held and fetches its parameters, whatever the version")
    func restartedLearner() {
        var machine = Self.working()
        machine.broadcastArrived(Self.parameters(version: 9))
        let unknown = ErrorReply(code: .unknownWorker, reason: "who are you")
        #expect(
            machine.received(.errorReply(unknown), at: .seconds(2)) == [
                .report(.refused(reason: "who are you")),
                .report(.rejoining(reason: "the learner does not know this worker")), Self.hello(version: 3),
            ])
        #expect(
            machine.received(Self.welcome(instance: "learner-2", version: 2), at: .seconds(3)) == [
                .report(.welcomed(learnerInstanceID: "learner-2", parameterVersion: 2)), .forgetBroadcasts,
                .send(.snapshotRequest(SnapshotRequest(parameterVersion: 3))),
            ])
        var actions: [WorkerAction] = []
        for part in Self.snapshot(version: 2) { actions = machine.received(part, at: .seconds(3)) }
        // Version 2 of the new learner replaces version 3 of the old; the old learner's broadcast is gone.
        #expect(actions.last == Self.workRequest(version: 2))
        #expect(machine.parameterVersion == 2)
    }

    @Test("a refusal while sampling waits for the rollouts, which are then dropped for a hello")
    func refusalWhileSampling() {
        var machine = Self.working()
        _ = machine.received(.workAssignment(Self.assignment(id: 1, version: 3)), at: .seconds(2))
        let unknown = ErrorReply(code: .unknownWorker, reason: "forgotten")
        #expect(machine.received(.errorReply(unknown), at: .seconds(3)) == [.report(.refused(reason: "forgotten"))])
        #expect(
            machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(4)) == [
                .report(.rejoining(reason: "the learner does not know this worker")), Self.hello(version: 3),
            ])
        #expect(machine.summary.batchCount == 0)
    }

    @Test("heartbeats every welcome interval; silence past liveness x interval means hello again")
    func heartbeatsAndSilence() {
        var machine = Self.working()
        #expect(machine.tick(at: .milliseconds(1_999)).isEmpty)
        let heartbeat = WorkerAction.send(.heartbeat(Heartbeat(parameterVersion: 3)))
        #expect(machine.tick(at: .seconds(2)) == [heartbeat])
        #expect(machine.tick(at: .seconds(3)) == [heartbeat])
        // Any message from the learner (a heartbeat too) counts as an answer.
        _ = machine.received(.heartbeat(Heartbeat(parameterVersion: 3)), at: .seconds(3))
        #expect(machine.tick(at: .milliseconds(5_500)) == [heartbeat])
        #expect(
            machine.tick(at: .seconds(7)) == [
                heartbeat, .report(.rejoining(reason: "no reply from the learner within 3.0 seconds")),
                Self.hello(version: 3),
            ])
    }

    @Test("the batch budget ends the run after the last acknowledgement; a stop says goodbye once")
    func budgetAndStop() {
        var configuration = WorkerConfiguration()
        configuration.maxBatches = 1
        var machine = Self.working(configuration)
        _ = machine.received(.workAssignment(Self.assignment(id: 1, version: 3)), at: .seconds(2))
        _ = machine.rolloutsSampled([Self.rollout("q1")], at: .seconds(2))
        let ack = BatchAck(batchSequence: 1, status: .accepted, parameterVersion: 3)
        #expect(
            machine.received(.batchAck(ack), at: .seconds(3)) == [
                .report(.batchAcknowledged(sequence: 1, status: "accepted", detail: ""))
            ])
        #expect(machine.isFinished)
        #expect(machine.stop().isEmpty)
        var stopped = Self.working()
        #expect(stopped.stop() == [.send(.goodbye(Goodbye(reason: "worker stopping")))])
        #expect(stopped.stop().isEmpty && stopped.tick(at: .seconds(60)).isEmpty)
    }

    @Test("a corrupt snapshot chunk or a refused snapshot request means hello again")
    func badSnapshot() {
        var machine = WorkerStateMachine(configuration: WorkerConfiguration(), workerID: "w", datasetFingerprint: "fp")
        _ = machine.start(at: .zero)
        _ = machine.received(Self.welcome(version: 3), at: .seconds(1))
        var parts = Self.snapshot(version: 3)
        guard case .snapshotChunk(var chunk) = parts[parts.count - 1] else {
            Issue.record("no chunk")
            return
        }
        chunk.payload[0] ^= 0xFF
        parts[parts.count - 1] = .snapshotChunk(chunk)
        for part in parts.dropLast() { #expect(machine.received(part, at: .seconds(1)).isEmpty) }
        let actions = machine.received(parts[parts.count - 1], at: .seconds(1))
        #expect(actions.count == 2 && actions.last == Self.hello(version: 0))
        #expect(machine.parameterVersion == 0)
        _ = machine.received(Self.welcome(version: 3), at: .seconds(2))
        let refusal = ErrorReply(code: .tooLarge, reason: "busy")
        #expect(
            machine.received(.errorReply(refusal), at: .seconds(2)) == [
                .report(.rejoining(reason: "the learner refused the snapshot request: busy")), Self.hello(version: 0),
            ])
    }
}
