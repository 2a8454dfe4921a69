// The rollout worker daemon: join, fetch parameters, ask for work, sample and score, send batches, stay current.
//
// Protocol: docs/protocol.md. Joining: Hello -> Welcome, then SnapshotRequest when the worker's parameters are
// older than the learner's. Work: WorkRequest -> WorkAssignment -> RolloutBatch -> BatchAck. Broadcasts on the
// subscription channel replace the parameters between assignments.

import VRCore
import VRModel
import VRTasks
import VRText
import VRTransport
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

/// A rollout worker: samples traces from q (model phase) or pi (posterior phase) for the learner's questions.
public struct WorkerService: Sendable {
    /// The settings.
    public let configuration: WorkerConfiguration
    private let itemsByID: [String: TaskItem]
    private let datasetFingerprint: String
    private let sampler: RolloutSampler
    private let link: LearnerLink
    private let onEvent: @Sendable (WorkerEvent) -> Void

    /// The software version sent in `Hello`.
    public static let softwareVersion = "vr 0.1"

    /// Creates a worker.
    /// - Parameters:
    ///   - configuration: validated settings.
    ///   - dataset: the questions the learner hands out by id (the same dataset as the learner's).
    ///   - transport: the connection to the learner.
    ///   - renderer: the templates (the same as the learner's).
    ///   - text: the models' tokenizer (the same as the learner's).
    ///   - onEvent: receives progress, from the worker's task.
    /// - Throws: `WorkerError.invalidConfiguration` for bad settings or a dataset with repeated ids.
    public init(
        configuration: WorkerConfiguration, dataset: TaskDataset, transport: any WorkerTransport,
        renderer: TemplateRenderer = TemplateRenderer(), text: ModelText = .bytes,
        onEvent: @escaping @Sendable (WorkerEvent) -> Void = { _ in }
    ) throws(WorkerError) {
        try configuration.validate()
        var itemsByID: [String: TaskItem] = [:]
        for item in dataset.items {
            guard itemsByID.updateValue(item, forKey: item.id) == nil else {
                throw .invalidConfiguration("the dataset repeats question id \"\(item.id)\"")
            }
        }
        self.configuration = configuration
        self.itemsByID = itemsByID
        self.datasetFingerprint = dataset.fingerprint
        self.sampler = try RolloutSampler(options: configuration.rollout, renderer: renderer, text: text)
        // The learner's messages carry no token ids; the models' vocabulary arrives with their parameters.
        self.link = LearnerLink(transport: transport, codec: WireCodec(vocabularySize: nil))
        self.onEvent = onEvent
    }

    /// Runs until `maxBatches` batches are sent, the learner stays away past `learnerGoneMilliseconds`, the
    /// transport closes, or the task is cancelled (a stop signal); a cancelled worker says goodbye, and the learner
    /// hands its unfinished work out again.
    /// - Returns: what the worker did.
    /// - Throws: `WorkerError` for a model that cannot sample the learner's questions or a broken transport.
    public func run() async throws(WorkerError) -> WorkerSummary {
        let inbox = PublicationInbox()
        let transport = link.transport
        let codec = link.codec
        let listener = Task { [onEvent] in
            for await frames in transport.publications {
                if let message = try? codec.decode(frames.map(\.bytes)).message,
                    let version = inbox.accept(message)
                {
                    onEvent(.received(parameterVersion: version))
                }
                // A broadcast is a thousand queued chunks, which the stream hands over without suspending: without
                // a yield the heartbeats (with sampling holding the other thread of two) wait for the last one.
                await Task.yield()
            }
        }
        let welcomeState = WelcomeState()
        let heartbeat = Task { [link, configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(configuration.heartbeatIntervalMilliseconds))
                guard welcomeState.isWelcomed else { continue }
                let version = inbox.versionInUse
                try? await link.send(.heartbeat(Heartbeat(parameterVersion: version)))
            }
        }
        defer {
            listener.cancel()
            heartbeat.cancel()
        }
        var session = WorkerSession(inbox: inbox)
        do {
            while !Task.isCancelled && !isFinished(session) {
                welcomeState.set(false)
                guard let welcome = try await join(session: &session) else { break }
                welcomeState.set(true)
                do {
                    try await work(session: &session, welcome: welcome)
                } catch let error as RejoinReason {
                    onEvent(.rejoining(reason: error.reason))
                }
            }
        } catch let error as WorkerError {
            guard Task.isCancelled else { throw error }
            // A send or receive cut short by the stop: the goodbye below hands the work back.
        } catch {
            // Cancellation while sleeping ends the run like cancellation between assignments.
        }
        if Task.isCancelled { await sayGoodbye(reason: "worker stopping") }
        return session.summary
    }

    /// Tells the learner this worker leaves, so it hands the outstanding work out again at once.
    ///
    /// Without it the work would wait for the worker timeout. Sent from a task of its own: the run's task is
    /// cancelled by then.
    private func sayGoodbye(reason: String) async {
        let link = self.link
        await Task { try? await link.send(.goodbye(Goodbye(reason: reason))) }.value
    }

    // MARK: - Joining

    /// Says hello until welcomed (or the learner stays away too long), then fetches parameters if older.
    private func join(session: inout WorkerSession) async throws -> Welcome? {
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = Duration.milliseconds(configuration.replyTimeoutMilliseconds)
        while !Task.isCancelled {
            let gone = configuration.learnerGoneMilliseconds
            if gone > 0 && clock.now - start > .milliseconds(gone) { return nil }
            do {
                try await link.send(
                    .hello(
                        WorkerHello(
                            softwareVersion: Self.softwareVersion,
                            parameterVersion: session.parameterVersion, datasetFingerprint: datasetFingerprint)))
            } catch {
                // Not connected yet: the transport keeps reconnecting.
                if case .transport = error { continue }
                throw error
            }
            while let reply = try await link.next(within: min(timeout, .seconds(2))) {
                switch reply {
                case .welcome(let welcome):
                    onEvent(
                        .welcomed(
                            learnerInstanceID: welcome.learnerInstanceID, parameterVersion: welcome.parameterVersion))
                    // A new learner (a restart, perhaps from an older checkpoint) means new parameters even
                    // at a version number this worker has seen.
                    let isNewLearner = session.learnerInstanceID != welcome.learnerInstanceID
                    if isNewLearner {
                        session.learnerInstanceID = welcome.learnerInstanceID
                        session.inbox.reset()
                    }
                    if session.models == nil || isNewLearner || session.parameterVersion < welcome.parameterVersion {
                        do { try await fetchSnapshot(session: &session) } catch let error as RejoinReason {
                            onEvent(.rejoining(reason: error.reason))
                            continue
                        }
                    }
                    return welcome
                case .errorReply(let error):
                    onEvent(.refused(reason: error.reason))
                    if error.code == .datasetMismatch { throw WorkerError.invalidConfiguration(error.reason) }
                default:
                    continue
                }
            }
        }
        return nil
    }

    /// Requests the learner's current parameters and loads them.
    private func fetchSnapshot(session: inout WorkerSession) async throws {
        try await link.send(.snapshotRequest(SnapshotRequest(parameterVersion: session.parameterVersion)))
        let timeout = Duration.milliseconds(configuration.replyTimeoutMilliseconds)
        var assembler: ParameterAssembler?
        while let reply = try await link.next(within: timeout) {
            switch reply {
            case .parameterAnnouncement(let announcement):
                do { assembler = try ParameterAssembler(announcement: announcement) } catch {
                    throw RejoinReason("bad snapshot announcement: \(error)")
                }
            case .snapshotChunk(let chunk):
                do {
                    // Added in place: a copy of the assembler would copy its whole buffer for every chunk.
                    try assembler?.add(chunk)
                    guard let current = assembler, current.isComplete else { continue }
                    let received = ReceivedParameters(
                        parameterVersion: current.announcement.parameterVersion,
                        configurationJSON: current.announcement.modelConfigurationJSON, values: try current.parameters()
                    )
                    try apply(received, to: &session, viaSnapshot: true)
                    return
                } catch let error as WorkerError {
                    throw error
                } catch {
                    throw RejoinReason("bad snapshot chunk: \(error)")
                }
            case .errorReply(let error):
                throw RejoinReason("the learner refused the snapshot request: \(error.reason)")
            default:
                continue
            }
        }
        throw RejoinReason("no snapshot within \(timeout)")
    }

    // MARK: - Working

    /// Asks for work, samples, sends batches, and applies broadcasts between assignments.
    private func work(session: inout WorkerSession, welcome: Welcome) async throws {
        // The learner is dead after heartbeat_liveness intervals without any message (heartbeats included).
        let timeout = min(
            Duration.milliseconds(configuration.replyTimeoutMilliseconds),
            welcome.heartbeatInterval * welcome.heartbeatLiveness)
        while !Task.isCancelled && !isFinished(session) {
            if let received = session.inbox.take(newerThan: session.parameterVersion) {
                try apply(received, to: &session, viaSnapshot: false)
            }
            try await link.send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: session.parameterVersion)))
            let assignment = try await awaitReply(within: timeout) { reply -> WorkAssignment? in
                if case .workAssignment(let assignment) = reply { return assignment }
                return nil
            }
            guard !assignment.questions.isEmpty else {
                try await Task.sleep(for: max(assignment.retryAfter, .milliseconds(20)))
                continue
            }
            // Far behind (missed broadcasts): fetch the current parameters before sampling.
            if assignment.parameterVersion > session.parameterVersion + UInt64(max(welcome.maxLag, 1)) {
                try await fetchSnapshot(session: &session)
            }
            try await complete(assignment, session: &session, timeout: timeout)
        }
    }

    /// Samples and scores one assignment, sends it, and waits for the acknowledgement.
    private func complete(
        _ assignment: WorkAssignment, session: inout WorkerSession, timeout: Duration
    )
        async throws
    {
        guard let models = session.models else { throw RejoinReason("no parameters yet") }
        onEvent(.assigned(assignmentID: assignment.assignmentID, questionCount: assignment.questions.count))
        let clock = ContinuousClock()
        let start = clock.now
        var requests: [RolloutRequest] = []
        for question in assignment.questions {
            guard let item = itemsByID[question.questionID] else {
                throw WorkerError.unknownQuestion(question.questionID)
            }
            requests.append(
                RolloutRequest(
                    item: item, phase: question.phase, traceCount: question.traceCount, proposal: question.proposal,
                    answerModel: question.answerModel))
        }
        let rollouts = try sampler.rollouts(
            for: requests, models: models, seed: configuration.assignmentSeed(assignment.assignmentID))
        session.sequence += 1
        let batch = RolloutBatch(
            workerID: link.workerID, batchSequence: session.sequence, assignmentID: assignment.assignmentID,
            samplingParameterVersion: session.parameterVersion, scoringParameterVersion: session.parameterVersion,
            questions: rollouts)
        try await link.send(.rolloutBatch(batch))
        session.summary.batchCount += 1
        session.summary.traceCount += batch.traceCount
        onEvent(
            .batchSent(
                sequence: batch.batchSequence, assignmentID: assignment.assignmentID,
                questionCount: rollouts.count, traceCount: batch.traceCount,
                seconds: (clock.now - start).inSeconds))
        let sequence = batch.batchSequence
        // An assignment that passed its deadline went to another worker: its batch is refused, and the session
        // goes on.
        let status = try await awaitReply(within: timeout, refusing: sequence) { reply -> String? in
            switch reply {
            case .batchAck(let ack) where ack.batchSequence == sequence: "\(ack.status)"
            case .errorReply(let error) where error.code == .assignmentExpired && error.batchSequence == sequence:
                "expired"
            default: nil
            }
        }
        onEvent(.batchAcknowledged(sequence: sequence, status: status))
    }

    /// Waits for the reply `match` accepts; silence, or a refusal of this worker or of the batch `sequence`,
    /// means the session must start again.
    private func awaitReply<Reply>(
        within timeout: Duration, refusing sequence: UInt64? = nil, _ match: (WireMessage) -> Reply?
    ) async throws -> Reply {
        while let reply = try await link.next(within: timeout) {
            if let matched = match(reply) { return matched }
            if case .errorReply(let error) = reply {
                onEvent(.refused(reason: error.reason))
                if error.code == .unknownWorker { throw RejoinReason("the learner does not know this worker") }
                if let sequence, error.batchSequence == sequence {
                    throw RejoinReason("the learner refused batch \(sequence)")
                }
            }
        }
        throw RejoinReason("no reply from the learner within \(timeout)")
    }

    /// Loads received parameters into the models (building them on first use).
    private func apply(
        _ received: ReceivedParameters, to session: inout WorkerSession, viaSnapshot: Bool
    )
        throws(WorkerError)
    {
        do {
            let configuration = try ModelPair.Configuration(json: received.configurationJSON)
            if let models = session.models, models.configuration == configuration {
                try models.load(received.values)
            } else {
                session.models = try ModelPair(configuration: configuration, parameters: received.values)
            }
        } catch {
            throw .model(error)
        }
        session.parameterVersion = received.parameterVersion
        session.inbox.versionInUse = received.parameterVersion
        session.summary.parameterVersion = received.parameterVersion
        onEvent(.applied(parameterVersion: received.parameterVersion, viaSnapshot: viaSnapshot))
    }

    private func isFinished(_ session: WorkerSession) -> Bool {
        configuration.maxBatches > 0 && session.summary.batchCount >= configuration.maxBatches
    }
}

/// The worker's state across sessions with the learner.
struct WorkerSession {
    /// Broadcasts received in the background.
    let inbox: PublicationInbox
    var models: ModelPair?
    var parameterVersion: UInt64 = 0
    /// The learner instance whose parameters the worker holds.
    var learnerInstanceID: String?
    /// Batch sequence numbers count from 1 for the life of the worker.
    var sequence: UInt64 = 0
    var summary = WorkerSummary()
}

/// Why the worker must say hello again: the learner forgot it, or stopped answering.
struct RejoinReason: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
