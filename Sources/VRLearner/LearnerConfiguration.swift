// The learner's settings, with documented defaults; printed at start.

import VRModel
import VRObjectives
import VRWire

/// How one of the two models is optimised.
public struct OptimizerSettings: Codable, Sendable, Equatable {
    /// The peak learning rate (linear warmup, then cosine decay to a tenth over the run).
    public var learningRate: Float
    /// Warmup steps.
    public var warmupSteps: Int = 5
    /// AdamW weight decay (matrices only).
    public var weightDecay: Float = 0.0
    /// Gradients are clipped to this global norm.
    public var gradientClipNorm: Float = 1

    /// Creates settings.
    /// - Parameter learningRate: the peak rate.
    public init(learningRate: Float) {
        self.learningRate = learningRate
    }

    /// The schedule over `totalSteps` steps.
    func schedule(totalSteps: Int) -> LearningRateSchedule {
        LearningRateSchedule(
            peak: learningRate, minimum: learningRate / 10, warmupSteps: min(warmupSteps, max(totalSteps, 1)),
            totalSteps: max(totalSteps, 1))
    }

    /// Checks the ranges.
    func validate(_ name: String) throws(LearnerError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidPolicy("\(name).learningRate must be positive, got \(learningRate)")
        }
        guard warmupSteps >= 0, weightDecay >= 0, gradientClipNorm > 0 else {
            throw .invalidPolicy("\(name): warmupSteps and weightDecay must be non-negative, gradientClipNorm positive")
        }
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
    /// How q is optimised.
    public var posteriorOptimizer = OptimizerSettings(learningRate: 5e-4)
    /// How the trace ratio enters the weights ([E5]).
    public var normalization = TraceNormalization.perToken
    /// The model phase's weighting and proposal: the variational method by default, or a baseline.
    public var modelObjective = ModelObjective()
    /// A checkpoint is written every this many steps (both phases); 0 writes only the final one.
    public var checkpointEvery = 0
    /// Seed of the question order.
    public var seed: UInt64 = 0
    /// Heartbeat period towards workers, and the one they are told to use.
    public var heartbeatIntervalMilliseconds = 1_000
    /// How broadcasts and snapshots carry the parameters: float32 exactly, or bfloat16 in half the bytes (workers
    /// then sample with rounded parameters; the learner keeps training in float32).
    public var broadcastEncoding = ParameterEncoding.float32

    /// The defaults above.
    public init() {}

    /// Checks the ranges.
    /// - Throws: `LearnerError.invalidPolicy` naming the first bad field.
    public func validate() throws(LearnerError) {
        try policy.validate()
        for (name, value) in [
            ("tracesPerQuestion", tracesPerQuestion), ("priorTracesPerQuestion", priorTracesPerQuestion),
            ("questionsPerStep", questionsPerStep), ("modelSteps", modelSteps),
        ] {
            guard value >= 1 else { throw .invalidPolicy("\(name) must be at least 1, got \(value)") }
        }
        guard checkpointEvery >= 0 else { throw .invalidPolicy("checkpointEvery must be non-negative") }
        guard (1...600_000).contains(heartbeatIntervalMilliseconds) else {
            throw .invalidPolicy("heartbeatIntervalMilliseconds \(heartbeatIntervalMilliseconds) not in 1...600000")
        }
        try reasoningOptimizer.validate("reasoningOptimizer")
        try posteriorOptimizer.validate("posteriorOptimizer")
        do { try modelObjective.surrogate.validate() } catch { throw .invalidPolicy("GRPO: \(error)") }
    }
}
