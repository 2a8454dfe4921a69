// `vr build-data`'s pipeline: pi0 and q served to rollout workers, K traces per question collected and each scored
// with pi0 (a trace pool, from which `DataBuilder` makes SFT examples).

import VRCore
import VRLearner
import VRModel
import VRTasks
import VRText
import VRTransport
import VRWire
import VRWorker

/// Hands every question to rollout workers for K traces from a fixed proposal (q with its hint, or a model without
/// it), and scores them with a fixed pi0 (the released code's offline mode).
public struct TraceCollection: Sendable {
    /// The questions; the workers read the same file.
    public let dataset: TaskDataset
    /// pi0's checkpoint, which scores the traces.
    public let reasoning: String
    /// The checkpoint served as q, which proposes them (with or without the hint, as `configuration` says).
    public let posterior: String
    /// The learner's settings for collection (`collectionConfiguration`).
    public let configuration: LearnerConfiguration
    /// What scores a question's traces.
    public let builder: DataBuilder
    /// The templates of pi0's and q's prompts.
    public let renderer: TemplateRenderer
    /// The models' tokenizer.
    public let text: ModelText
    /// Receives a line for every 100 questions scored.
    public let progress: @Sendable (String) -> Void

    /// A collection; nothing happens until `run`.
    public init(
        dataset: TaskDataset, reasoning: String, posterior: String, configuration: LearnerConfiguration,
        builder: DataBuilder, renderer: TemplateRenderer, text: ModelText,
        progress: @escaping @Sendable (String) -> Void
    ) {
        self.dataset = dataset
        self.reasoning = reasoning
        self.posterior = posterior
        self.configuration = configuration
        self.builder = builder
        self.renderer = renderer
        self.text = text
        self.progress = progress
    }

    /// The learner's settings for collection: K traces per question in the model phase, q never trained.
    /// - Parameters:
    ///   - traces: K.
    ///   - proposal: who samples the traces: the hinted q, or the model served as q without the hint.
    ///   - questionsPerAssignment: questions per assignment.
    ///   - workerTimeout: silence after which a worker's questions are handed out again.
    ///   - seed: the learner's seed.
    /// - Returns: the configuration, from `LearnerConfiguration`'s defaults for everything else.
    public static func collectionConfiguration(
        traces: Int, proposal: TraceProposal = .hintedPosterior, questionsPerAssignment: Int, workerTimeout: Duration,
        seed: UInt64
    ) -> LearnerConfiguration {
        var configuration = LearnerConfiguration()
        configuration.tracesPerQuestion = traces
        configuration.modelObjective.proposal = proposal
        configuration.trainsPosterior = false
        configuration.policy.questionsPerAssignment = questionsPerAssignment
        configuration.policy.workerTimeout = workerTimeout
        configuration.seed = seed
        return configuration
    }

    /// Serves the models over `transport` until every question has its traces, then scores them.
    /// - Parameters:
    ///   - transport: the bound learner transport.
    ///   - onEvent: receives the learner service's events.
    ///   - whenServing: called once the models are loaded and the service is ready, to start or tell the workers.
    ///   - whenCollected: called once every question has its traces, before they are scored: the workers are no
    ///     longer needed.
    /// - Returns: every question's traces, scored, in the dataset's order.
    /// - Throws: the errors of loading, serving and scoring.
    public func run(
        transport: any LearnerTransport, onEvent: @escaping (LearnerServiceEvent) -> Void,
        whenServing: () throws -> Void, whenCollected: () -> Void = {}
    ) async throws -> [PooledQuestion] {
        let models = ModelPair(
            reasoning: try Transformer(checkpointAt: reasoning), posterior: try Transformer(checkpointAt: posterior))
        // The optimizers are never stepped; the trainer holds the models the workers are served.
        let trainer = try LearnerTrainer(
            models: models, configuration: configuration, dataset: dataset, renderer: renderer, text: text)
        let service = try LearnerService(
            configuration: configuration, trainer: trainer,
            progress: LearnerProgress(parameterVersion: 1, modelSteps: 0, posteriorSteps: 0, questionCursor: 0),
            dataset: dataset, renderer: renderer, text: text, transport: transport, runDirectory: nil,
            onEvent: onEvent)
        try whenServing()
        let rollouts = try await service.collectRollouts()
        whenCollected()
        var pool: [PooledQuestion] = []
        for (index, (item, rollout)) in zip(dataset.items, rollouts).enumerated() {
            pool.append(try builder.pooled(item, rollout: rollout, reasoning: models.reasoning))
            if (index + 1) % 100 == 0 { progress("scored \(index + 1)/\(rollouts.count) questions with pi0") }
        }
        return pool
    }
}
