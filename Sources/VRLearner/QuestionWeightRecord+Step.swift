// A model-phase step's questions as records for the bias analysis ([E11], [E12]).

import VRObjectives
import VRRecords

extension QuestionWeightRecord {
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
