// One question's part in a model-phase step, for the bias analysis: how hard it is, how often its traces led to
// a correct answer, and how much weight the method gave it ([E11], [E12]).

import VRObjectives

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
    /// Its weight in the direction of the posterior score (`effectiveWeight(sampleWeights:correct:)`).
    ///
    /// The sum for the variational method, about P for RFT and sqrt(P / (1 - P)) for GRPO. Traces count as correct
    /// when they carry answer evidence (Acc > 0) for the variational method and RFT, and by their completion's
    /// verdict for GRPO.
    public var effectiveWeight: Double

    /// The records of one step's questions.
    /// - Parameters:
    ///   - step: the step count.
    ///   - questions: the step's questions, in order.
    ///   - weights: their trace weights, as the step computed them.
    ///   - method: the step's method.
    ///   - labels: each question's family and difficulty, by id.
    /// - Returns: one record per question.
    /// - Throws: `ObjectiveError` when the weights do not fit the traces.
    public static func records(
        step: Int, questions: [QuestionForTraining], weights: [[Double]], method: ModelObjective.Method,
        labels: [String: (family: String, difficulty: Int)]
    ) throws(ObjectiveError) -> [QuestionWeightRecord] {
        var records: [QuestionWeightRecord] = []
        for (question, questionWeights) in zip(questions, weights) {
            let correct = question.traces.map { trace in
                switch method {
                case .variational, .rft: trace.correctAnswers > 0
                case .grpo: TracePlan.completionReward(trace)
                }
            }
            let accuracies = question.traces.map(\.accuracy)
            let label = labels[question.questionID] ?? ("other", 0)
            records.append(
                QuestionWeightRecord(
                    step: step, questionID: question.questionID, family: label.family, difficulty: label.difficulty,
                    traces: question.traces.count,
                    traceAccuracy: accuracies.reduce(0, +) / Double(max(accuracies.count, 1)),
                    totalWeight: questionWeights.reduce(0, +),
                    effectiveWeight: try VRObjectives.effectiveWeight(sampleWeights: questionWeights, correct: correct))
            )
        }
        return records
    }
}
