// The shared settings of an experiment: model shape, the SFT stages, the training budget and evaluation.

import VRCore
import VRLearner
import VRTasks
import VRTraining

/// The transformer every arm trains (pi and q share it).
public struct ModelShape: Codable, Sendable, Equatable {
    /// Layers.
    public var layers = 4
    /// Width (model dimension).
    public var width = 128
    /// Attention heads; divides `width`.
    public var heads = 4
    /// Context length in tokens.
    public var context = 128

    /// The defaults above.
    public init() {}

    /// Decodes with defaults for missing keys; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ModelShape()
        layers = try container.decodeIfPresent(Int.self, forKey: .layers) ?? defaults.layers
        width = try container.decodeIfPresent(Int.self, forKey: .width) ?? defaults.width
        heads = try container.decodeIfPresent(Int.self, forKey: .heads) ?? defaults.heads
        context = try container.decodeIfPresent(Int.self, forKey: .context) ?? defaults.context
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case layers, width, heads, context
    }
}

/// One supervised fine-tuning stage: stage 1 trains pi0 on the reference thoughts, stage 2 trains q with the hint.
public struct SFTStage: Codable, Sendable, Equatable {
    /// Optimizer steps.
    public var steps: Int
    /// Examples per step (by default `vr sft`'s).
    public var batchSize = SFTConfiguration().batchSize
    /// Peak learning rate (by default `vr sft`'s).
    public var learningRate = SFTConfiguration().learningRate

    /// A stage of `steps` steps with the other defaults.
    /// - Parameter steps: optimizer steps.
    public init(steps: Int) {
        self.steps = steps
    }

    /// Decodes with defaults for missing keys (`steps` is required); unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        steps = try container.decode(Int.self, forKey: .steps)
        batchSize = try container.decode(.batchSize, default: batchSize)
        learningRate = try container.decode(.learningRate, default: learningRate)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, batchSize, learningRate
    }
}

/// The budget every arm gets: the same optimizer steps on pi with the same questions per step.
public struct TrainingBudget: Codable, Sendable, Equatable {
    /// Optimizer steps on pi (model-phase steps, or SFT steps for the SFT arm).
    public var modelSteps = 300
    /// Questions per step.
    public var questionsPerStep = 8
    /// Peak learning rate of pi (by default the learner's).
    public var learningRate = Self.learner.reasoningOptimizer.learningRate
    /// Peak learning rate of q, for arms that train it (by default the learner's).
    public var posteriorLearningRate = Self.learner.posteriorOptimizer.learningRate
    /// n: answers sampled per trace for Acc, unless an arm says otherwise.
    public var answersPerTrace = 4
    /// The longest trace in tokens.
    public var maxTraceTokens = 48
    /// Temperature of trace sampling.
    public var traceTemperature: Float = 1
    /// Steps of linear learning-rate warmup, for every arm (then cosine decay to the learner's floor at
    /// `modelSteps`).
    public var warmupSteps = Self.learner.reasoningOptimizer.warmupSteps
    /// AdamW's decoupled weight decay, for every arm.
    public var weightDecay = Self.learner.reasoningOptimizer.weightDecay
    /// The gradient norm every arm's steps are clipped to.
    public var gradientClipNorm = Self.learner.reasoningOptimizer.gradientClipNorm

    /// The learner's defaults, which the optimizer settings above start from.
    private static let learner = LearnerConfiguration()

    /// The defaults above.
    public init() {}

    /// Decodes with defaults for missing keys; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingBudget()
        modelSteps = try container.decodeIfPresent(Int.self, forKey: .modelSteps) ?? defaults.modelSteps
        questionsPerStep =
            try container.decodeIfPresent(Int.self, forKey: .questionsPerStep) ?? defaults.questionsPerStep
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        posteriorLearningRate =
            try container.decodeIfPresent(Float.self, forKey: .posteriorLearningRate) ?? defaults.posteriorLearningRate
        answersPerTrace = try container.decodeIfPresent(Int.self, forKey: .answersPerTrace) ?? defaults.answersPerTrace
        maxTraceTokens = try container.decodeIfPresent(Int.self, forKey: .maxTraceTokens) ?? defaults.maxTraceTokens
        traceTemperature =
            try container.decodeIfPresent(Float.self, forKey: .traceTemperature) ?? defaults.traceTemperature
        warmupSteps = try container.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? defaults.warmupSteps
        weightDecay = try container.decodeIfPresent(Float.self, forKey: .weightDecay) ?? defaults.weightDecay
        gradientClipNorm =
            try container.decodeIfPresent(Float.self, forKey: .gradientClipNorm) ?? defaults.gradientClipNorm
    }

    /// The optimizer and schedule every arm shares, in words, for the report.
    /// - Returns: a description such as "AdamW (betas 0.9, 0.95) continuing the moments of ..., linear warmup over 5
    ///   steps, ...".
    public func scheduleDescription() -> String {
        let optimizer = Self.learner.reasoningOptimizer
        return
            "AdamW (betas \(optimizer.beta1), \(optimizer.beta2)), the online arms continuing the moments of the SFT "
            + "that made the initial models, the SFT and offline arms (SFT from pi0) from a fresh state, linear warmup over "
            + "\(warmupSteps) steps, cosine decay to \(optimizer.decayFloor) of the peak at step \(modelSteps), "
            + "weight decay \(weightDecay), gradient norm clipped to \(gradientClipNorm)"
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case modelSteps, questionsPerStep, learningRate, posteriorLearningRate, answersPerTrace, maxTraceTokens
        case traceTemperature, warmupSteps, weightDecay, gradientClipNorm
    }
}

/// How the final models are scored on the test split.
public struct EvaluationSettings: Codable, Sendable, Equatable {
    /// k: samples per question for Avg@k and pass@k.
    public var samples = 4
    /// Their temperature.
    public var temperature: Float = 1
    /// The longest response (thought and solution) in tokens.
    public var maxResponseTokens = 96
    /// Whether to score greedy decoding too (one sample per question at temperature 0).
    public var greedy = false

    /// The defaults above.
    public init() {}

    /// Decodes with defaults for missing keys; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = EvaluationSettings()
        samples = try container.decodeIfPresent(Int.self, forKey: .samples) ?? defaults.samples
        temperature = try container.decodeIfPresent(Float.self, forKey: .temperature) ?? defaults.temperature
        maxResponseTokens =
            try container.decodeIfPresent(Int.self, forKey: .maxResponseTokens) ?? defaults.maxResponseTokens
        greedy = try container.decodeIfPresent(Bool.self, forKey: .greedy) ?? defaults.greedy
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case samples, temperature, maxResponseTokens, greedy
    }
}

/// Stage 0: the base model's own way of working, learnt before the reference thoughts, as the paper's base model
/// brings one from pretraining: SFT on other questions of the same tasks with thoughts in another style.
public struct PretrainingStage: Codable, Sendable, Equatable {
    /// The style of the base model's thoughts; the experiment's references use another.
    public var thoughtStyle = ThoughtStyle.compact
    /// Questions per task generator; they are drawn with shifted seeds from the training split, so they are not
    /// the training questions of the experiment and never its test questions.
    public var questionsPerTask = 3000
    /// Added to each generator's seed.
    public var seedOffset: UInt64 = 1000
    /// The SFT stage.
    public var sft = SFTStage(steps: 1000)

    /// The defaults above.
    public init() {}

    /// Decodes with defaults for missing keys; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PretrainingStage()
        thoughtStyle = try container.decodeIfPresent(ThoughtStyle.self, forKey: .thoughtStyle) ?? defaults.thoughtStyle
        questionsPerTask =
            try container.decodeIfPresent(Int.self, forKey: .questionsPerTask) ?? defaults.questionsPerTask
        seedOffset = try container.decodeIfPresent(UInt64.self, forKey: .seedOffset) ?? defaults.seedOffset
        sft = try container.decodeIfPresent(SFTStage.self, forKey: .sft) ?? defaults.sft
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case thoughtStyle, questionsPerTask, seedOffset, sft
    }

    /// The generators of the stage's questions: the experiment's, with this style and shifted seeds.
    /// - Parameter tasks: the experiment's generators.
    /// - Returns: one generator per task.
    public func generators(for tasks: [TaskGeneratorConfiguration]) -> [TaskGeneratorConfiguration] {
        tasks.map { task in
            var shifted = task
            shifted.thoughtStyle = thoughtStyle
            shifted.seed = task.seed &+ seedOffset
            return shifted
        }
    }
}
