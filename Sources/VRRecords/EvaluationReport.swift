// Accuracy of a reasoning model on held-out questions, as `vr eval` and the experiments write it.

/// Avg@k and pass@k of a reasoning model, overall, per difficulty and per task family.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// Scores of one group of questions.
    public struct Scores: Sendable, Equatable, Codable {
        /// Questions in the group.
        public var questionCount: Int
        /// Mean over questions of the fraction of the k samples whose answer is correct.
        public var averageAtK: Double
        /// Fraction of questions with at least one correct sample among k.
        public var passAtK: Double

        /// Creates scores.
        /// - Parameters:
        ///   - questionCount: questions in the group.
        ///   - averageAtK: Avg@k.
        ///   - passAtK: pass@k.
        public init(questionCount: Int, averageAtK: Double, passAtK: Double) {
            self.questionCount = questionCount
            self.averageAtK = averageAtK
            self.passAtK = passAtK
        }
    }

    /// Samples per question.
    public var samplesPerQuestion: Int
    /// Sampling temperature (0 is greedy).
    public var temperature: Float
    /// All questions.
    public var overall: Scores
    /// Per difficulty level, keyed by the level.
    public var byDifficulty: [Int: Scores]
    /// Per task family, keyed by its name (`TaskItem.familyName`).
    public var byFamily: [String: Scores]
    /// Per family and, within it, per difficulty level; nil in reports written before it was kept.
    public var byFamilyAndDifficulty: [String: [Int: Scores]]?

    /// Creates a report.
    /// - Parameters:
    ///   - samplesPerQuestion: k.
    ///   - temperature: the sampling temperature.
    ///   - overall: all questions.
    ///   - byDifficulty: per difficulty level.
    ///   - byFamily: per task family.
    ///   - byFamilyAndDifficulty: per family and difficulty level.
    public init(
        samplesPerQuestion: Int, temperature: Float, overall: Scores, byDifficulty: [Int: Scores],
        byFamily: [String: Scores], byFamilyAndDifficulty: [String: [Int: Scores]]? = nil
    ) {
        self.samplesPerQuestion = samplesPerQuestion
        self.temperature = temperature
        self.overall = overall
        self.byDifficulty = byDifficulty
        self.byFamily = byFamily
        self.byFamilyAndDifficulty = byFamilyAndDifficulty
    }
}
