// The worker's side of the protocol as a pure state machine: what to send, load and sample, given what arrived and
// what time it is. No I/O, no clock: `WorkerService` feeds it events and carries out its actions.
//
// Protocol: docs/protocol.md ("The worker's loop"). Joining: Hello -> Welcome, then SnapshotRequest when the
// worker's parameters are older than the learner's or come from another learner. Work: WorkRequest ->
// WorkAssignment -> RolloutBatch -> BatchAck. Broadcasts received meanwhile are applied between assignments.

import VRCore
import VRWire

/// What a worker did before it stopped.
public struct WorkerSummary: Sendable, Equatable {
    /// Batches sent.
    public var batchCount = 0
    /// Traces sent.
    public var traceCount = 0
    /// The parameter version in use at the end.
    public var parameterVersion: UInt64 = 0
}

/// The rollout worker's protocol logic, tested event by event.
///
/// Times are durations since the worker started. Silence is measured from the later of the last message heard and
/// the start of the current wait; past its limit the worker says hello again.
public struct WorkerStateMachine: Sendable {
    /// Where the worker is in its conversation with the learner.
    public enum Phase: Sendable, Equatable {
        /// Not started.
        case idle
        /// Hello sent; waiting for the welcome.
        case joining
        /// SnapshotRequest sent; waiting for the parameters, then for `then` to be sampled (or for work).
        case fetchingSnapshot(then: WorkAssignment?)
        /// WorkRequest sent; waiting for an assignment.
        case requestingWork
        /// The learner had no work; ask again at `until`.
        case waitingToRetry(until: Duration)
        /// The service samples the assignment, which it was handed at `startedAt`.
        case sampling(WorkAssignment, startedAt: Duration)
        /// The batch `sequence` was sent; waiting for its acknowledgement.
        case awaitingAck(sequence: UInt64)
        /// Stopped: the batch budget is spent, the learner stayed away, a fatal error, or a stop request.
        case finished
    }

    /// The longest wait for a welcome before saying hello again.
    public static let helloInterval = Duration.seconds(2)
    /// The shortest pause after an empty assignment, whatever `retry_after_ms` says.
    public static let minimumRetryDelay = Duration.milliseconds(20)
    /// The software version sent in `Hello`.
    public static let softwareVersion = "vr 0.1"

    /// Where the worker is.
    public private(set) var phase = Phase.idle
    /// The version of the parameters in the models (0: none yet).
    public private(set) var parameterVersion: UInt64 = 0
    /// What the worker did so far.
    public private(set) var summary = WorkerSummary()

    private let configuration: WorkerConfiguration
    private let workerID: String
    private let datasetFingerprint: String
    /// The welcome of the current session; nil between a rejoin and the next welcome.
    private var welcome: Welcome?
    /// The learner instance whose parameters the models hold.
    private var learnerInstanceID: String?
    /// Batch sequence numbers count from 1 for the life of the worker.
    private var sequence: UInt64 = 0
    private var joinStartedAt = Duration.zero
    private var waitStartedAt = Duration.zero
    private var lastHeard = Duration.zero
    private var lastHeartbeat = Duration.zero
    /// The snapshot being received in answer to a request.
    private var assembler: ParameterAssembler?
    /// The newest complete broadcast not applied yet.
    private var pendingBroadcast: ReceivedParameters?
    /// Why the worker must say hello again once the sampling under way ends (the learner refused it meanwhile).
    private var rejoinAfterSampling: String?
    /// The assignment being sampled passed its deadline: its rollouts are dropped, not sent.
    private var expiredWhileSampling = false

    /// Creates the state machine of one worker.
    /// - Parameters:
    ///   - configuration: validated settings.
    ///   - workerID: the worker's id on the wire.
    ///   - datasetFingerprint: the fingerprint of the worker's task dataset, sent in `Hello`.
    public init(configuration: WorkerConfiguration, workerID: String, datasetFingerprint: String) {
        self.configuration = configuration
        self.workerID = workerID
        self.datasetFingerprint = datasetFingerprint
    }

    /// Whether the run is over.
    public var isFinished: Bool { phase == .finished }

    // MARK: - Events

    /// Starts the first session: says hello.
    /// - Parameter now: time since the worker started.
    /// - Returns: the actions to carry out.
    public mutating func start(at now: Duration) -> [WorkerAction] {
        guard phase == .idle else { return [] }
        return join(at: now)
    }

    /// A valid message arrived from the learner.
    /// - Parameters:
    ///   - message: the message.
    ///   - now: time since the worker started.
    /// - Returns: the actions to carry out.
    public mutating func received(_ message: WireMessage, at now: Duration) -> [WorkerAction] {
        lastHeard = now
        switch phase {
        case .idle, .finished: return []
        case .joining: return receivedWhileJoining(message, at: now)
        case .fetchingSnapshot(let then): return receivedSnapshotPart(message, then: then, at: now)
        case .requestingWork: return receivedWhileRequesting(message, at: now)
        case .waitingToRetry: return refusal(in: message, at: now)
        case .sampling(let assignment, _):
            guard case .errorReply(let error) = message else { return [] }
            // Answered once the sampling under way ends: the models stay untouched until then.
            if error.code == .unknownWorker { rejoinAfterSampling = "the learner does not know this worker" }
            if error.code == .assignmentExpired && error.assignmentID == assignment.assignmentID {
                expiredWhileSampling = true
            }
            return [.report(.refused(reason: error.reason))]
        case .awaitingAck(let sequence): return receivedWhileAwaitingAck(message, sequence: sequence, at: now)
        }
    }

    /// A broadcast arrived complete; it is applied before the next work request.
    /// - Parameter parameters: the broadcast.
    public mutating func broadcastArrived(_ parameters: ReceivedParameters) {
        let newest = max(parameterVersion, pendingBroadcast?.parameterVersion ?? 0)
        if parameters.parameterVersion > newest { pendingBroadcast = parameters }
    }

    /// The service finished sampling the assignment it was asked to.
    /// - Parameters:
    ///   - rollouts: one rollout per assigned question.
    ///   - now: time since the worker started.
    /// - Returns: the actions to carry out: the batch, or a hello when the learner refused the worker meanwhile.
    public mutating func rolloutsSampled(_ rollouts: [QuestionRollout], at now: Duration) -> [WorkerAction] {
        guard case .sampling(let assignment, let startedAt) = phase else { return [] }
        if let reason = rejoinAfterSampling { return rejoin(reason, at: now) }
        if expiredWhileSampling {
            // Another worker has the questions now; a late batch would only be refused.
            return [.report(.dropped(assignmentID: assignment.assignmentID))] + requestWork(at: now)
        }
        sequence += 1
        let batch = RolloutBatch(
            workerID: workerID, batchSequence: sequence, assignmentID: assignment.assignmentID,
            samplingParameterVersion: parameterVersion, scoringParameterVersion: parameterVersion,
            questions: rollouts)
        summary.batchCount += 1
        summary.traceCount += batch.traceCount
        wait(.awaitingAck(sequence: sequence), at: now)
        return [
            .send(.rolloutBatch(batch)),
            .report(
                .batchSent(
                    sequence: sequence, assignmentID: assignment.assignmentID, questionCount: rollouts.count,
                    traceCount: batch.traceCount, seconds: (now - startedAt).inSeconds)),
        ]
    }

    /// Time passed: heartbeats fall due, silences run out, pauses end.
    /// - Parameter now: time since the worker started.
    /// - Returns: the actions to carry out.
    public mutating func tick(at now: Duration) -> [WorkerAction] {
        var actions: [WorkerAction] = []
        if let welcome, phase != .finished, now - lastHeartbeat >= welcome.heartbeatInterval {
            lastHeartbeat = now
            actions.append(.send(.heartbeat(Heartbeat(parameterVersion: parameterVersion))))
        }
        let silence = now - max(waitStartedAt, lastHeard)
        switch phase {
        case .joining:
            guard now - waitStartedAt >= min(replyTimeout, Self.helloInterval) else { break }
            let gone = Duration.milliseconds(configuration.learnerGoneMilliseconds)
            if gone > .zero && now - joinStartedAt > gone {
                phase = .finished
                break
            }
            waitStartedAt = now
            actions.append(hello())
        case .fetchingSnapshot where silence > replyTimeout:
            actions += rejoin("no snapshot within \(replyTimeout)", at: now)
        case .requestingWork where silence > workTimeout, .awaitingAck where silence > workTimeout:
            actions += rejoin("no reply from the learner within \(workTimeout)", at: now)
        case .waitingToRetry(let until) where now >= until:
            actions += requestWork(at: now)
        default:
            break
        }
        return actions
    }

    /// The worker is asked to stop: it says goodbye, so the learner hands its work out again at once.
    /// - Returns: the goodbye.
    public mutating func stop() -> [WorkerAction] {
        guard phase != .finished else { return [] }
        phase = .finished
        return [.send(.goodbye(Goodbye(reason: "worker stopping")))]
    }

    // MARK: - Joining

    private mutating func join(at now: Duration) -> [WorkerAction] {
        welcome = nil
        assembler = nil
        rejoinAfterSampling = nil
        joinStartedAt = now
        wait(.joining, at: now)
        return [hello()]
    }

    private mutating func rejoin(_ reason: String, at now: Duration) -> [WorkerAction] {
        [.report(.rejoining(reason: reason))] + join(at: now)
    }

    private func hello() -> WorkerAction {
        .send(
            .hello(
                WorkerHello(
                    softwareVersion: Self.softwareVersion, parameterVersion: parameterVersion,
                    datasetFingerprint: datasetFingerprint)))
    }

    private mutating func receivedWhileJoining(_ message: WireMessage, at now: Duration) -> [WorkerAction] {
        switch message {
        case .welcome(let welcome):
            self.welcome = welcome
            lastHeartbeat = now
            var actions: [WorkerAction] = [
                .report(
                    .welcomed(learnerInstanceID: welcome.learnerInstanceID, parameterVersion: welcome.parameterVersion))
            ]
            // A new learner (a restart, perhaps from an older checkpoint) means new parameters even at a version
            // number this worker has seen.
            let isNewLearner = learnerInstanceID != welcome.learnerInstanceID
            if isNewLearner {
                learnerInstanceID = welcome.learnerInstanceID
                pendingBroadcast = nil
                actions.append(.forgetBroadcasts)
            }
            if parameterVersion == 0 || isNewLearner || parameterVersion < welcome.parameterVersion {
                return actions + requestSnapshot(then: nil, at: now)
            }
            return actions + requestWork(at: now)
        case .errorReply(let error):
            guard error.code == .datasetMismatch else { return [.report(.refused(reason: error.reason))] }
            phase = .finished
            return [.report(.refused(reason: error.reason)), .fail(.invalidConfiguration(error.reason))]
        default:
            return []
        }
    }

    private mutating func requestSnapshot(then assignment: WorkAssignment?, at now: Duration) -> [WorkerAction] {
        assembler = nil
        wait(.fetchingSnapshot(then: assignment), at: now)
        return [.send(.snapshotRequest(SnapshotRequest(parameterVersion: parameterVersion)))]
    }

    private mutating func receivedSnapshotPart(
        _ message: WireMessage, then assignment: WorkAssignment?, at now: Duration
    ) -> [WorkerAction] {
        switch message {
        case .parameterAnnouncement(let announcement):
            do { assembler = try ParameterAssembler(announcement: announcement) } catch {
                return rejoin("bad snapshot announcement: \(error)", at: now)
            }
            return []
        case .snapshotChunk(let chunk):
            guard assembler != nil else { return [] }
            let parameters: ReceivedParameters
            do {
                // Added in place: a copy of the assembler would copy its whole buffer for every chunk.
                try assembler?.add(chunk)
                guard let complete = assembler, complete.isComplete else { return [] }
                parameters = ReceivedParameters(
                    parameterVersion: complete.announcement.parameterVersion,
                    configurationJSON: complete.announcement.modelConfigurationJSON, values: try complete.parameters())
            } catch {
                return rejoin("bad snapshot chunk: \(error)", at: now)
            }
            assembler = nil
            let applied = apply(parameters, viaSnapshot: true)
            guard let assignment else { return applied + requestWork(at: now) }
            return applied + startSampling(assignment, at: now)
        case .errorReply(let error) where error.code == .assignmentExpired:
            // Not about the snapshot: the assignment waiting for it (if it is the one) went to another worker.
            let refused = WorkerAction.report(.refused(reason: error.reason))
            guard let assignment, error.assignmentID == assignment.assignmentID else { return [refused] }
            phase = .fetchingSnapshot(then: nil)
            return [refused, .report(.dropped(assignmentID: assignment.assignmentID))]
        case .errorReply(let error):
            return rejoin("the learner refused the snapshot request: \(error.reason)", at: now)
        default:
            return []
        }
    }

    private mutating func apply(_ parameters: ReceivedParameters, viaSnapshot: Bool) -> [WorkerAction] {
        parameterVersion = parameters.parameterVersion
        summary.parameterVersion = parameters.parameterVersion
        if let pending = pendingBroadcast, pending.parameterVersion <= parameterVersion { pendingBroadcast = nil }
        return [
            .load(parameters),
            .report(.applied(parameterVersion: parameters.parameterVersion, viaSnapshot: viaSnapshot)),
        ]
    }

    // MARK: - Working

    private mutating func requestWork(at now: Duration) -> [WorkerAction] {
        var actions: [WorkerAction] = []
        if let broadcast = pendingBroadcast, broadcast.parameterVersion > parameterVersion {
            actions += apply(broadcast, viaSnapshot: false)
        }
        wait(.requestingWork, at: now)
        actions.append(.send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: parameterVersion))))
        return actions
    }

    private mutating func receivedWhileRequesting(_ message: WireMessage, at now: Duration) -> [WorkerAction] {
        guard case .workAssignment(let assignment) = message else { return refusal(in: message, at: now) }
        guard !assignment.questions.isEmpty else {
            phase = .waitingToRetry(until: now + max(assignment.retryAfter, Self.minimumRetryDelay))
            return []
        }
        // Far behind (missed broadcasts): fetch the current parameters before sampling.
        let maxLag = UInt64(max(welcome?.maxLag ?? 1, 1))
        if assignment.parameterVersion > parameterVersion + maxLag {
            return requestSnapshot(then: assignment, at: now)
        }
        return startSampling(assignment, at: now)
    }

    private mutating func startSampling(_ assignment: WorkAssignment, at now: Duration) -> [WorkerAction] {
        phase = .sampling(assignment, startedAt: now)
        rejoinAfterSampling = nil
        expiredWhileSampling = false
        return [
            .report(.assigned(assignmentID: assignment.assignmentID, questionCount: assignment.questions.count)),
            .sample(assignment),
        ]
    }

    private mutating func receivedWhileAwaitingAck(
        _ message: WireMessage, sequence: UInt64, at now: Duration
    ) -> [WorkerAction] {
        let acknowledged: WorkerAction
        switch message {
        case .batchAck(let ack) where ack.batchSequence == sequence:
            acknowledged = .report(.batchAcknowledged(sequence: sequence, status: "\(ack.status)", detail: ack.detail))
        // An assignment that passed its deadline went to another worker: its batch is refused, and the session
        // goes on.
        case .errorReply(let error) where error.code == .assignmentExpired && error.batchSequence == sequence:
            acknowledged = .report(.batchAcknowledged(sequence: sequence, status: "expired", detail: error.reason))
        default:
            return refusal(in: message, sequence: sequence, at: now)
        }
        if configuration.maxBatches > 0 && summary.batchCount >= configuration.maxBatches {
            phase = .finished
            return [acknowledged]
        }
        return [acknowledged] + requestWork(at: now)
    }

    /// A refusal from the learner: reported; the worker says hello again when the learner forgot it or refused
    /// the batch `sequence`.
    private mutating func refusal(
        in message: WireMessage, sequence: UInt64? = nil, at now: Duration
    )
        -> [WorkerAction]
    {
        guard case .errorReply(let error) = message else { return [] }
        let refused = WorkerAction.report(.refused(reason: error.reason))
        if error.code == .unknownWorker {
            return [refused] + rejoin("the learner does not know this worker", at: now)
        }
        if let sequence, error.batchSequence == sequence {
            return [refused] + rejoin("the learner refused batch \(sequence)", at: now)
        }
        return [refused]
    }

    // MARK: - Time

    private mutating func wait(_ phase: Phase, at now: Duration) {
        self.phase = phase
        waitStartedAt = now
    }

    private var replyTimeout: Duration { .milliseconds(configuration.replyTimeoutMilliseconds) }

    /// The learner is dead after `heartbeat_liveness` intervals without any message (heartbeats included).
    private var workTimeout: Duration {
        guard let welcome else { return replyTimeout }
        return min(replyTimeout, welcome.heartbeatInterval * welcome.heartbeatLiveness)
    }
}
