// The learner daemon: the state machine wired to a transport, the trainer, checkpoints and metrics.
//
// One loop owns everything: it waits for a message (or the next tick), lets the state machine decide, carries
// out the actions (replies, training, publication), and repeats until the model phase has taken its steps. A
// training step runs on a thread of its own meanwhile, so that workers keep hearing from the learner.

import Foundation
import VRCore
import VRModel
import VRRecords
import VRTasks
import VRText
import VRTransport
import VRWire

/// Why a learner run stopped early.
public enum LearnerServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The transport closed or failed.
    case transport(String)
    /// A checkpoint or the metrics file could not be written.
    case io(String)
    /// A configuration or dataset that cannot be used.
    case invalidInput(String)
    /// A stop signal came before the work was done.
    case stopped(String)
    /// The learner's ranks cannot go on together (a run split over several processes).
    case collective(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .transport(let message): "transport: \(message)"
        case .io(let message): message
        case .invalidInput(let message): message
        case .stopped(let message): message
        case .collective(let message): message
        }
    }
}

/// Runs the two phases of [E9] for remote workers until `modelSteps` model-phase steps are done.
public final class LearnerService {
    let configuration: LearnerConfiguration
    let trainer: LearnerTrainer
    let transport: any LearnerTransport
    let codec: WireCodec
    let prompts: [String: TaskPrompts]
    /// The training questions' ids in dataset order.
    let questionIDs: [String]
    /// Each question's family and difficulty, by id, for `questions.jsonl`.
    let questionLabels: [String: (family: String, difficulty: Int)]
    let datasetFingerprint: String
    let order: QuestionOrder
    let runDirectory: String?
    let instanceID: String
    let onEvent: (LearnerServiceEvent) -> Void
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    var machine: LearnerStateMachine
    var questionCursor: Int
    var peers: [String: PeerID] = [:]
    var pending = PendingTraining()
    var snapshotCache: (version: UInt64, messages: [Multipart])?
    /// Whether a training step is running beside the message loop (`serving(while:)`).
    var isTraining = false
    /// Workers whose snapshot requests wait for the running step.
    var snapshotWaiters: [PeerID] = []
    /// The rollouts kept in collection mode (`collectRollouts()`), by question id; nil while training.
    var collectedRollouts: [String: QuestionRollout]?
    var lastHeartbeat: ContinuousClock.Instant
    var metricsFile: FileHandle?
    /// `RUN/questions.jsonl`: a `QuestionWeightRecord` per question of every model-phase step.
    var questionsFile: FileHandle?
    var lastStepElapsed = 0.0
    /// Messages refused so far, by error code label.
    var rejections: [String: Int] = [:]
    /// Steps skipped: refused on their inputs (a non-finite log-prob among them) or not applied for a non-finite
    /// loss or gradient norm.
    var skippedSteps = 0

    /// Creates a learner.
    /// - Parameters:
    ///   - configuration: validated settings.
    ///   - trainer: the models and optimizers (fresh, or restored with `progress`).
    ///   - progress: where the run stands (version 1 and zero steps for a fresh run).
    ///   - dataset: the training questions; workers must hold the same dataset.
    ///   - renderer: the templates; workers must use the same.
    ///   - text: the models' tokenizer; workers must use the same.
    ///   - transport: the bound learner transport.
    ///   - runDirectory: where metrics and checkpoints go; nil keeps nothing on disk.
    ///   - onEvent: receives progress, on the learner's task.
    /// - Throws: `LearnerServiceError.invalidInput` for a bad configuration, an empty dataset or a question
    ///   whose prompt does not fit the models; `.io` if the metrics file cannot be opened.
    public init(
        configuration: LearnerConfiguration, trainer: LearnerTrainer, progress: LearnerProgress, dataset: TaskDataset,
        renderer: TemplateRenderer = TemplateRenderer(), text: ModelText = .bytes, transport: any LearnerTransport,
        runDirectory: String?,
        onEvent: @escaping (LearnerServiceEvent) -> Void = { _ in }
    ) throws(LearnerServiceError) {
        do { try configuration.validate() } catch { throw .invalidInput("\(error)") }
        guard !dataset.items.isEmpty else { throw .invalidInput("the training dataset is empty") }
        var prompts: [String: TaskPrompts] = [:]
        let contextLength = min(
            trainer.models.reasoning.configuration.contextLength, trainer.models.posterior.configuration.contextLength)
        for item in dataset.items {
            let prompt = TaskPrompts(item: item, renderer: renderer, text: text)
            let longest = max(
                prompt.reasoningPrompt.count + prompt.thoughtClosing.count + prompt.answerOpening.count
                    + prompt.answer.count,
                prompt.posteriorPrompt.count + prompt.posteriorClosing.count)
            guard longest < contextLength else {
                throw .invalidInput(
                    "question \"\(item.id)\" needs \(longest) tokens before any trace; the context is \(contextLength)")
            }
            guard prompts.updateValue(prompt, forKey: item.id) == nil else {
                throw .invalidInput("the dataset repeats question id \"\(item.id)\"")
            }
        }
        do {
            machine = try LearnerStateMachine(policy: configuration.policy, parameterVersion: progress.parameterVersion)
        } catch {
            throw .invalidInput("\(error)")
        }
        self.configuration = configuration
        codec = WireCodec(vocabularySize: trainer.models.reasoning.configuration.vocabularySize)
        self.trainer = trainer
        self.transport = transport
        self.prompts = prompts
        self.questionIDs = dataset.items.map(\.id)
        self.questionLabels = Dictionary(
            dataset.items.map { ($0.id, (family: $0.familyName, difficulty: $0.difficulty)) },
            uniquingKeysWith: { first, _ in first })
        self.datasetFingerprint = dataset.fingerprint
        self.order = QuestionOrder(ids: questionIDs, seed: configuration.seed)
        self.questionCursor = progress.questionCursor
        self.runDirectory = runDirectory
        self.instanceID = "learner-\(UInt32.random(in: 1...UInt32.max))"
        self.onEvent = onEvent
        self.start = clock.now
        self.lastHeartbeat = clock.now
        if let runDirectory {
            metricsFile = try Self.openLog("metrics.jsonl", in: runDirectory)
            questionsFile = try Self.openLog("questions.jsonl", in: runDirectory)
        }
    }

    /// Runs until the model phase has taken `modelSteps` steps in total, or until the task is cancelled (a stop
    /// signal), then writes the final checkpoint.
    /// - Returns: what the run did.
    /// - Throws: `LearnerServiceError` if the transport closes or a checkpoint cannot be written.
    public func run() async throws(LearnerServiceError) -> LearnerSummary {
        defer {
            try? metricsFile?.close()
            try? questionsFile?.close()
        }
        refillQueue()
        let tick = Duration.milliseconds(min(200, configuration.heartbeatIntervalMilliseconds))
        while trainer.modelSteps < configuration.modelSteps && !Task.isCancelled {
            let message: PeerMessage?
            do { message = try await transport.receive(within: tick) } catch {
                throw .transport(error.description)
            }
            if let message { await handle(message) }
            try await trainWhenReady()
            await housekeeping()
        }
        try writeCheckpoint()
        return summary
    }

    /// What the run did so far.
    public var summary: LearnerSummary {
        LearnerSummary(
            parameterVersion: machine.parameterVersion, modelSteps: trainer.modelSteps,
            posteriorSteps: trainer.posteriorSteps, counters: machine.counters, rejections: rejections,
            skippedSteps: skippedSteps)
    }

    /// Time since the learner started, the state machine's clock.
    var now: Duration { clock.now - start }

    /// Keeps at least two steps' worth of questions queued.
    ///
    /// Each round queues questions for the posterior phase (when q is trained) and the same questions for the
    /// model phase ([E9]). Collection queues nothing more.
    func refillQueue() {
        guard collectedRollouts == nil else { return }
        while machine.queuedQuestionCount < 2 * configuration.questionsPerStep {
            let ids = order.ids(from: questionCursor, count: configuration.questionsPerStep)
            questionCursor += ids.count
            if configuration.trainsPosterior { machine.enqueue(ids, phase: .posterior) }
            machine.enqueue(ids, phase: .model)
        }
    }

    /// Liveness both ways: lost workers and overdue assignments give their work back; known workers hear from
    /// the learner, and a worker whose assignment expired hears that too.
    func housekeeping() async {
        for action in machine.tick(at: now) {
            switch action {
            case .workerLost(let worker, let count):
                peers[worker] = nil
                onEvent(.workerLost(worker: worker, requeuedQuestionCount: count))
            case .expire(let worker, let assignmentID, let count):
                onEvent(.assignmentExpired(worker: worker, assignmentID: assignmentID, requeuedQuestionCount: count))
                guard let peer = peers[worker] else { continue }
                await send(.errorReply(Self.expiryNotice(assignmentID, deadline: machine.assignmentDeadline)), to: peer)
            default:
                continue
            }
        }
        guard clock.now - lastHeartbeat >= .milliseconds(configuration.heartbeatIntervalMilliseconds) else { return }
        lastHeartbeat = clock.now
        let heartbeat = WireMessage.heartbeat(
            Heartbeat(parameterVersion: machine.parameterVersion))
        for peer in peers.values { await send(heartbeat, to: peer) }
    }

    /// Encodes and sends one message; a worker that is gone is noticed by liveness, not here.
    func send(_ message: WireMessage, to peer: PeerID) async {
        guard let frames = try? codec.encode(message, senderID: instanceID) else { return }
        try? await transport.send(frames.map(Frame.init), to: peer)
    }

    /// Opens a JSON-lines file of the run directory for appending, creating both if needed.
    ///
    /// A line cut short by a crash is dropped, so the file holds whole lines only.
    private static func openLog(_ name: String, in runDirectory: String) throws(LearnerServiceError) -> FileHandle {
        let path = runDirectory + "/" + name
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
            if !files.fileExists(atPath: path) { _ = files.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            let contents = try handle.readToEnd() ?? Data()
            if let last = contents.last, last != UInt8(ascii: "\n") {
                let wholeLines = (contents.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
                try handle.truncate(atOffset: UInt64(wholeLines))
            }
            try handle.seekToEnd()
            return handle
        } catch {
            throw .io("cannot open \(path): \(error.localizedDescription)")
        }
    }
}
