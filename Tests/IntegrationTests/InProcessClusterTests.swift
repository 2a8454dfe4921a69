import Synchronization
import Testing
import VRLearner
import VRModel
import VRRecords
import VRTasks
import VRTestSupport
import VRText
import VRTransport
import VRWorker

/// Worker events collected from the workers' tasks.
final class EventLog: Sendable {
    private let events = Mutex<[String: [WorkerEvent]]>([:])

    func record(_ event: WorkerEvent, from worker: String) {
        events.withLock { $0[worker, default: []].append(event) }
    }

    func of(_ worker: String) -> [WorkerEvent] { events.withLock { $0[worker] ?? [] } }
}

/// A learner and two workers over the in-process transport: the whole protocol, in one process, in seconds.
@Suite("in-process cluster")
struct InProcessClusterTests {
    static let model = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: 268)

    static func dataset() throws -> TaskDataset {
        try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)], countPerConfiguration: 12,
            split: .train)
    }

    static func learnerConfiguration() -> LearnerConfiguration {
        var configuration = LearnerConfiguration()
        configuration.modelSteps = 3
        configuration.questionsPerStep = 2
        configuration.tracesPerQuestion = 2
        configuration.priorTracesPerQuestion = 2
        configuration.policy.questionsPerAssignment = 1
        configuration.policy.workerTimeout = .seconds(5)
        configuration.heartbeatIntervalMilliseconds = 100
        return configuration
    }

    /// Tiny pi and q for the dataset's questions.
    /// - Parameter closesThoughtsAtOnce: whether pi and q are trained to close every thought at once, so that no
    ///   trace is cut off by the length limit and every question has traces to train on; else they are random.
    static func models(for dataset: TaskDataset, closesThoughtsAtOnce: Bool) throws -> ModelPair {
        guard closesThoughtsAtOnce else {
            return ModelPair(
                reasoning: try Transformer(configuration: model, seed: 1),
                posterior: try Transformer(configuration: model, seed: 2))
        }
        let prompts = dataset.items.map { TaskPrompts(item: $0, renderer: TemplateRenderer()) }
        return ModelPair(
            reasoning: try TestModels.immediateStop(prompts: prompts, configuration: model),
            posterior: try TestModels.immediateStop(prompts: prompts, configuration: model))
    }

    /// A fresh learner with tiny pi and q (see `models(for:closesThoughtsAtOnce:)`).
    static func learner(
        _ configuration: LearnerConfiguration, dataset: TaskDataset, transport: any LearnerTransport,
        closesThoughtsAtOnce: Bool = false, onEvent: @escaping (LearnerServiceEvent) -> Void = { _ in }
    ) throws -> LearnerService {
        let models = try models(for: dataset, closesThoughtsAtOnce: closesThoughtsAtOnce)
        let trainer = try LearnerTrainer(models: models, configuration: configuration, dataset: dataset)
        return try LearnerService(
            configuration: configuration, trainer: trainer,
            progress: LearnerProgress(parameterVersion: 1, modelSteps: 0, posteriorSteps: 0, questionCursor: 0),
            dataset: dataset, transport: transport, runDirectory: nil, onEvent: onEvent)
    }

    static func workerConfiguration(seed: UInt64) -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.rollout.maxTraceTokens = 6
        configuration.rollout.answersPerTrace = 2
        configuration.rollout.maxAnswerTokens = 4
        configuration.heartbeatIntervalMilliseconds = 100
        configuration.seed = seed
        return configuration
    }

    @Test("[E9] both workers get the parameters, their batches train both phases, versions advance and reach them")
    func cluster() async throws {
        let dataset = try Self.dataset()
        let hub = try InProcessHub()
        let log = EventLog()
        let workers = try ["w1", "w2"].map { name in
            try WorkerService(
                configuration: Self.workerConfiguration(seed: name == "w1" ? 1 : 2), dataset: dataset,
                transport: hub.makeWorker(identity: PeerID(name)), onEvent: { log.record($0, from: name) })
        }
        let workerTasks = workers.map { worker in Task { try await worker.run() } }
        let steps = Mutex<[StepMetrics]>([])
        // Random models would let the length limit cut off most traces, and a posterior question whose traces
        // are all cut off is not trained on, so the model phase could finish before q takes two steps.
        let learner = try Self.learner(
            Self.learnerConfiguration(), dataset: dataset, transport: try hub.makeLearner(), closesThoughtsAtOnce: true,
            onEvent: { event in if case .step(let metrics) = event { steps.withLock { $0.append(metrics) } } })
        let summary = try await learner.run()
        // Every worker receives the final version's broadcast.
        try await eventually(within: 10) {
            ["w1", "w2"].allSatisfy { log.of($0).contains(.received(parameterVersion: summary.parameterVersion)) }
        }
        for task in workerTasks { task.cancel() }
        let workerSummaries = try await workerTasks.asyncMap { try await $0.value }

        #expect(summary.modelSteps == 3)
        #expect(summary.posteriorSteps >= 2)
        #expect(summary.parameterVersion == UInt64(1 + summary.modelSteps + summary.posteriorSteps))
        let recorded = steps.withLock { $0 }
        #expect(recorded.map(\.parameterVersion) == Array(2...summary.parameterVersion))
        #expect(Set(recorded.map(\.phase)) == [.model, .posterior])
        // The sampled tokens count the answers after each finished trace (2 per trace).
        #expect(recorded.contains { ($0.sampledAnswerTokens ?? 0) > 0 })
        // Paced by the backlog: the questions handed out (one per batch) are those trained plus at most the
        // 2 * (2 + 1) the learner lets wait or stay out at the end.
        let trained = 2 * (summary.modelSteps + summary.posteriorSteps)
        #expect(workerSummaries.map(\.batchCount).reduce(0, +) <= trained + 6)
        for (name, workerSummary) in zip(["w1", "w2"], workerSummaries) {
            let events = log.of(name)
            #expect(
                events.contains(.applied(parameterVersion: 1, viaSnapshot: true)), "\(name) got no initial snapshot")
            #expect(workerSummary.batchCount >= 1, "\(name) sent no batch")
            #expect(
                events.contains { if case .batchAcknowledged(_, "accepted", _) = $0 { true } else { false } },
                "\(name) had no batch accepted")
        }
    }

    @Test("collection mode: every question goes out once, comes back with K checked traces, and nothing trains")
    func collection() async throws {
        let dataset = try Self.dataset()
        let hub = try InProcessHub()
        let log = EventLog()
        let workers = try ["c1", "c2"].map { name in
            try WorkerService(
                configuration: Self.workerConfiguration(seed: name == "c1" ? 1 : 2), dataset: dataset,
                transport: hub.makeWorker(identity: PeerID(name)), onEvent: { log.record($0, from: name) })
        }
        let workerTasks = workers.map { worker in Task { try await worker.run() } }
        var configuration = Self.learnerConfiguration()
        configuration.tracesPerQuestion = 3
        configuration.trainsPosterior = false
        let progress = Mutex<[Int]>([])
        let learner = try Self.learner(
            configuration, dataset: dataset, transport: try hub.makeLearner(),
            onEvent: { event in
                if case .collected(let count, _) = event { progress.withLock { $0.append(count) } }
            })
        let rollouts = try await learner.collectRollouts()
        for task in workerTasks { task.cancel() }
        let workerSummaries = try await workerTasks.asyncMap { try await $0.value }

        #expect(rollouts.map(\.questionID) == dataset.items.map(\.id))
        #expect(rollouts.allSatisfy { $0.phase == .model && $0.traces.count == 3 })
        #expect(progress.withLock { $0.last } == dataset.items.count)
        #expect(learner.summary.modelSteps == 0 && learner.summary.parameterVersion == 1)
        // Each question was handed out once: the workers' batches hold exactly the dataset's questions.
        #expect(workerSummaries.map(\.batchCount).reduce(0, +) == dataset.items.count)
        #expect(workerSummaries.allSatisfy { $0.batchCount >= 1 }, "a worker got no work")
    }
}

extension Array {
    /// Maps with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
