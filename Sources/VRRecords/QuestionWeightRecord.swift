// One question's part in a model-phase step, for the bias analysis: how hard it is, how often its traces led to
// a correct answer, and how much weight the method gave it ([E11], [E12]).

/// A question of one model-phase step: its difficulty, its traces' accuracy and the weight it received.
public struct QuestionWeightRecord: Codable, Sendable, Equatable {
    /// The learner's step count after the step (both phases), as in `StepMetrics.step`.
    public var step: Int
    /// The question's id.
    public var questionID: String
    /// Its task family (`other` when the dataset names none).
    public var family: String
    /// Its difficulty level.
    public var difficulty: Int
    /// The traces it was trained on.
    public var traces: Int
    /// The mean over its traces of Acc, the fraction of sampled answers verified correct ([E6]).
    public var traceAccuracy: Double
    /// The sum of its trace weights.
    public var totalWeight: Double
    /// Its weight in the direction of the posterior score (VRObjectives' `effectiveWeight(sampleWeights:correct:)`).
    ///
    /// The sum for the variational method, about P for RFT and sqrt(P / (1 - P)) for GRPO. Traces count as correct
    /// when they carry answer evidence (Acc > 0) for the variational method and RFT, and by their completion's
    /// verdict for GRPO.
    public var effectiveWeight: Double

    /// Creates a record.
    /// - Parameters:
    ///   - step: the learner's step count after the step.
    ///   - questionID: the question's id.
    ///   - family: its task family.
    ///   - difficulty: its difficulty level.
    ///   - traces: the traces it was trained on.
    ///   - traceAccuracy: the mean Acc of its traces.
    ///   - totalWeight: the sum of its trace weights.
    ///   - effectiveWeight: its weight in the direction of the posterior score.
    public init(
        step: Int, questionID: String, family: String, difficulty: Int, traces: Int, traceAccuracy: Double,
        totalWeight: Double, effectiveWeight: Double
    ) {
        self.step = step
        self.questionID = questionID
        self.family = family
        self.difficulty = difficulty
        self.traces = traces
        self.traceAccuracy = traceAccuracy
        self.totalWeight = totalWeight
        self.effectiveWeight = effectiveWeight
    }
}
