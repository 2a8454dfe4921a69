// The learner's settings, with documented defaults; read from `vr learner --config`, printed at start and written
// to the run directory.

import VRCore
import VRModel
import VRObjectives
import VRWire

/// How one of the two models is optimised: AdamW on a schedule of linear warmup, then cosine decay to a floor.
///
/// Decoding takes the defaults below for missing keys and rejects unknown ones.
public struct OptimizerSettings: Codable, Sendable, Equatable {
    /// The peak learning rate.
    public var learningRate: Float
    /// Warmup steps.
    public var warmupSteps: Int = 5
    /// The cosine decay ends at this fraction of the peak rate, in [0, 1].
    public var decayFloor: Float = 0.1
    /// AdamW weight decay (matrices only).
    public var weightDecay: Float = 0.0
    /// Gradients are clipped to this global norm.
    public var gradientClipNorm: Float = 1
    /// AdamW's first-moment decay, in [0, 1).
    public var beta1 = AdamWConfiguration().beta1
    /// AdamW's second-moment decay, in [0, 1).
    public var beta2 = AdamWConfiguration().beta2

    /// Creates settings.
    /// - Parameter learningRate: the peak rate.
    public init(learningRate: Float) {
        self.learningRate = learningRate
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case learningRate, warmupSteps, decayFloor, weightDecay, gradientClipNorm, beta1, beta2
    }

    /// Reads settings; `learningRate` is required, the other keys default.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for an unknown key, a missing rate or a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(learningRate: try container.decode(Float.self, forKey: .learningRate))
        warmupSteps = try container.decode(.warmupSteps, default: warmupSteps)
        decayFloor = try container.decode(.decayFloor, default: decayFloor)
        weightDecay = try container.decode(.weightDecay, default: weightDecay)
        gradientClipNorm = try container.decode(.gradientClipNorm, default: gradientClipNorm)
        beta1 = try container.decode(.beta1, default: beta1)
        beta2 = try container.decode(.beta2, default: beta2)
    }

    /// The schedule over `totalSteps` steps.
    func schedule(totalSteps: Int) -> LearningRateSchedule {
        LearningRateSchedule(
            peak: learningRate, minimum: learningRate * decayFloor, warmupSteps: min(warmupSteps, max(totalSteps, 1)),
            totalSteps: max(totalSteps, 1))
    }

    /// The AdamW hyperparameters.
    public var adamW: AdamWConfiguration {
        AdamWConfiguration(beta1: beta1, beta2: beta2, weightDecay: weightDecay)
    }

    /// Checks the ranges.
    func validate(_ name: String) throws(LearnerError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidPolicy("\(name).learningRate must be positive, got \(learningRate)")
        }
        guard warmupSteps >= 0, weightDecay >= 0, gradientClipNorm > 0 else {
            throw .invalidPolicy("\(name): warmupSteps and weightDecay must be non-negative, gradientClipNorm positive")
        }
        guard (0...1).contains(decayFloor) else {
            throw .invalidPolicy("\(name).decayFloor must be in [0, 1], got \(decayFloor)")
        }
        do { try adamW.validate() } catch { throw .invalidPolicy("\(name): \(error)") }
    }
}

/// Everything the learner needs besides its models, dataset and transport.
public struct LearnerConfiguration: Codable, Sendable, Equatable {
    /// Credits, staleness, publication and liveness rules.
    public var policy = LearnerPolicy()
    /// K: traces sampled from q per question in the model phase ([E4]).
    public var tracesPerQuestion = 4
    /// M: traces sampled from pi per question in the posterior phase ([E8]).
    public var priorTracesPerQuestion = 4
    /// Questions per optimizer step, in either phase.
    public var questionsPerStep = 8
    /// The run ends after this many model-phase steps.
    public var modelSteps = 60
    /// Whether q is trained too (posterior phase of [E9]); without it the run is the released code's fixed-q mode.
    public var trainsPosterior = true
    /// How pi is optimised.
    public var reasoningOptimizer = OptimizerSettings(learningRate: 5e-4)
    /// How q is optimised: a fifth of pi's peak rate, since q starts from a model already fitted to the hinted
    /// thoughts and each posterior step's targets are pi's own traces.
    public var posteriorOptimizer = OptimizerSettings(learningRate: 1e-4)
    /// How the trace ratio enters the weights ([E5]).
    public var normalization = TraceNormalization.perToken
    /// The model phase's weighting and proposal: the variational method by default, or a baseline.
    public var modelObjective = ModelObjective()
    /// A checkpoint is written every this many steps (both phases); 0 writes only the final one.
    public var checkpointEvery = 0
    /// Seed of the question order.
    public var seed: UInt64 = 0
    /// With several ranks, they compare their parameters' fingerprints every this many steps (both phases) and stop
    /// the run when they differ; 0 compares only at start.
    public var rankCheckEvery = 10
    /// The most tokens of one forward and backward pass.
    ///
    /// A step's questions go through in passes of at most this many tokens, the gradients adding up across
    /// passes, so the activations held at once are bounded whatever the step's size (a question larger than this
    /// is a pass of its own). Questions are never split, so the step is the same.
    public var maxTokensPerPass = 1_024
    /// Heartbeat period towards workers, and the one they are told to use.
    public var heartbeatIntervalMilliseconds = 1_000
    /// How broadcasts and snapshots carry the parameters: float32 exactly, or bfloat16 in half the bytes (workers
    /// then sample with rounded parameters; the learner keeps training in float32).
    public var broadcastEncoding = ParameterEncoding.float32

    /// The defaults above.
    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case policy, tracesPerQuestion, priorTracesPerQuestion, questionsPerStep, modelSteps, trainsPosterior
        case reasoningOptimizer, posteriorOptimizer, normalization, modelObjective, checkpointEvery, seed
        case rankCheckEvery, maxTokensPerPass, heartbeatIntervalMilliseconds, broadcastEncoding
    }

    /// Reads a configuration (`vr learner --config`): missing keys take the defaults above, unknown keys are errors.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the first unknown key or mistyped value.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        policy = try container.decode(.policy, default: policy)
        tracesPerQuestion = try container.decode(.tracesPerQuestion, default: tracesPerQuestion)
        priorTracesPerQuestion = try container.decode(.priorTracesPerQuestion, default: priorTracesPerQuestion)
        questionsPerStep = try container.decode(.questionsPerStep, default: questionsPerStep)
        modelSteps = try container.decode(.modelSteps, default: modelSteps)
        trainsPosterior = try container.decode(.trainsPosterior, default: trainsPosterior)
        reasoningOptimizer = try container.decode(.reasoningOptimizer, default: reasoningOptimizer)
        posteriorOptimizer = try container.decode(.posteriorOptimizer, default: posteriorOptimizer)
        normalization = try container.decode(.normalization, default: normalization)
        modelObjective = try container.decode(.modelObjective, default: modelObjective)
        checkpointEvery = try container.decode(.checkpointEvery, default: checkpointEvery)
        seed = try container.decode(.seed, default: seed)
        rankCheckEvery = try container.decode(.rankCheckEvery, default: rankCheckEvery)
        maxTokensPerPass = try container.decode(.maxTokensPerPass, default: maxTokensPerPass)
        heartbeatIntervalMilliseconds = try container.decode(
            .heartbeatIntervalMilliseconds, default: heartbeatIntervalMilliseconds)
        broadcastEncoding = try container.decode(.broadcastEncoding, default: broadcastEncoding)
    }

    /// Checks the ranges.
    /// - Throws: `LearnerError.invalidPolicy` naming the first bad field.
    public func validate() throws(LearnerError) {
        try policy.validate()
        for (name, value) in [
            ("tracesPerQuestion", tracesPerQuestion), ("priorTracesPerQuestion", priorTracesPerQuestion),
            ("questionsPerStep", questionsPerStep), ("modelSteps", modelSteps), ("maxTokensPerPass", maxTokensPerPass),
        ] {
            guard value >= 1 else { throw .invalidPolicy("\(name) must be at least 1, got \(value)") }
        }
        guard checkpointEvery >= 0 else { throw .invalidPolicy("checkpointEvery must be non-negative") }
        guard rankCheckEvery >= 0 else { throw .invalidPolicy("rankCheckEvery must be non-negative") }
        guard (1...600_000).contains(heartbeatIntervalMilliseconds) else {
            throw .invalidPolicy("heartbeatIntervalMilliseconds \(heartbeatIntervalMilliseconds) not in 1...600000")
        }
        try reasoningOptimizer.validate("reasoningOptimizer")
        try posteriorOptimizer.validate("posteriorOptimizer")
        do { try modelObjective.surrogate.validate() } catch { throw .invalidPolicy("GRPO: \(error)") }
    }
}
