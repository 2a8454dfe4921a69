// The rollout worker daemon: a thin shell around `WorkerStateMachine` that carries its actions out (sending,
// loading parameters, sampling) and feeds it what arrives, what was sampled, and the passing of time.

import VRCore
import VRModel
import VRTasks
import VRText
import VRTransport
import VRWire

/// A rollout worker: samples traces from q (model phase) or pi (posterior phase) for the learner's questions.
public struct WorkerService: Sendable {
    /// The settings.
    public let configuration: WorkerConfiguration
    private let itemsByID: [String: TaskItem]
    private let datasetFingerprint: String
    private let sampler: RolloutSampler
    private let link: LearnerLink
    private let onEvent: @Sendable (WorkerEvent) -> Void

    /// How often the state machine is told the time (heartbeats, silences, pauses).
    static let tickInterval = Duration.milliseconds(10)

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
        let clock = ContinuousClock()
        let start = clock.now
        let inbox = PublicationInbox()
        let models = WorkerModels()
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
        let tasks = [listen(into: inbox), receive(into: continuation), tick(into: continuation)]
        defer {
            for task in tasks { task.cancel() }
            continuation.finish()
        }
        var machine = WorkerStateMachine(
            configuration: configuration, workerID: link.workerID, datasetFingerprint: datasetFingerprint)
        do throws(WorkerError) {
            try await perform(machine.start(at: clock.now - start), models: models, inbox: inbox, inputs: continuation)
            for await input in inputs {
                let now = clock.now - start
                if let broadcast = inbox.take(newerThan: machine.parameterVersion) {
                    machine.broadcastArrived(broadcast)
                }
                let actions: [WorkerAction]
                switch input {
                case .message(let message): actions = machine.received(message, at: now)
                case .sampled(.success(let rollouts)): actions = machine.rolloutsSampled(rollouts, at: now)
                case .sampled(.failure(let error)), .failed(let error): throw error
                case .tick: actions = machine.tick(at: now)
                }
                try await perform(actions, models: models, inbox: inbox, inputs: continuation)
                if machine.isFinished { break }
            }
        } catch {
            // A send or receive cut short by the stop ends the run like the stop itself.
            guard Task.isCancelled else { throw error }
        }
        if Task.isCancelled {
            // Sent from a task of its own: the run's task is cancelled by then.
            let goodbye = machine.stop()
            await Task { [link] in for case .send(let message) in goodbye { try? await link.send(message) } }.value
        }
        return machine.summary
    }

    /// What the run loop hears about.
    private enum Input: Sendable {
        case message(WireMessage)
        case sampled(Result<[QuestionRollout], WorkerError>)
        case tick
        case failed(WorkerError)
    }

    /// Carries out the state machine's actions in order.
    private func perform(
        _ actions: [WorkerAction], models: WorkerModels, inbox: PublicationInbox,
        inputs: AsyncStream<Input>.Continuation
    ) async throws(WorkerError) {
        for action in actions {
            switch action {
            case .send(let message):
                do { try await link.send(message) } catch {
                    // The learner may be away (not yet listening, restarting, its link cut): a message it cannot take
                    // is lost like one sent into silence, and the state machine's timeouts recover (it says hello
                    // again; the learner hands the work out again).
                    guard case .transport = error else { throw error }
                }
            case .load(let parameters): try models.load(parameters)
            case .forgetBroadcasts: inbox.reset()
            case .sample(let assignment): try sample(assignment, models: models, inputs: inputs)
            case .report(let event): onEvent(event)
            case .fail(let error): throw error
            }
        }
    }

    /// Samples `assignment` on a task of its own, so heartbeats and replies go on meanwhile; the rollouts arrive
    /// as an input.
    private func sample(
        _ assignment: WorkAssignment, models: WorkerModels, inputs: AsyncStream<Input>.Continuation
    ) throws(WorkerError) {
        var requests: [RolloutRequest] = []
        for question in assignment.questions {
            guard let item = itemsByID[question.questionID] else { throw .unknownQuestion(question.questionID) }
            requests.append(
                RolloutRequest(
                    item: item, phase: question.phase, traceCount: question.traceCount, proposal: question.proposal,
                    answerModel: question.answerModel))
        }
        let seed = configuration.assignmentSeed(assignment.assignmentID)
        Task.detached { [sampler] in
            inputs.yield(
                .sampled(Result { () throws(WorkerError) in try models.sample(requests, sampler, seed: seed) }))
        }
    }

    /// Feeds the broadcasts of the subscription channel to `inbox`.
    private func listen(into inbox: PublicationInbox) -> Task<Void, Never> {
        let (transport, codec) = (link.transport, link.codec)
        return Task { [onEvent] in
            for await frames in transport.publications {
                if let message = try? codec.decode(frames.map(\.bytes)).message, let version = inbox.accept(message) {
                    onEvent(.received(parameterVersion: version))
                }
                // A broadcast is a thousand queued chunks, which the stream hands over without suspending: without
                // a yield the replies and ticks (with sampling holding the other thread of two) wait for the last.
                await Task.yield()
            }
        }
    }

    /// Feeds the learner's valid replies to the run loop.
    private func receive(into inputs: AsyncStream<Input>.Continuation) -> Task<Void, Never> {
        Task { [link] in
            while !Task.isCancelled {
                do throws(WorkerError) {
                    if let message = try await link.next(within: .milliseconds(100)) { inputs.yield(.message(message)) }
                } catch {
                    if !Task.isCancelled { inputs.yield(.failed(error)) }
                    return
                }
            }
        }
    }

    /// Tells the run loop the time every `tickInterval`.
    private func tick(into inputs: AsyncStream<Input>.Continuation) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tickInterval)
                inputs.yield(.tick)
            }
        }
    }
}
