// Statistics across an arm's seeds: its scores overall, per family and per difficulty, and its budget.

import VRRecords

/// Avg@k and pass@k of one group of questions, across seeds.
public struct ScoreSummary: Sendable, Equatable {
    /// Avg@k across seeds.
    public var averageAtK: SeedSummary
    /// pass@k across seeds.
    public var passAtK: SeedSummary

    /// Summarises `scores`, or returns nil when there are none.
    /// - Parameter scores: one group's scores, one per seed.
    public init?(_ scores: [EvaluationReport.Scores]) {
        guard let averageAtK = SeedSummary(scores.map(\.averageAtK)), let passAtK = SeedSummary(scores.map(\.passAtK))
        else { return nil }
        self.averageAtK = averageAtK
        self.passAtK = passAtK
    }
}

/// An arm's scores and budget, each as mean and spread across its seeds.
public struct ArmSummary: Sendable, Equatable {
    /// Scores on all test questions.
    public var overall: ScoreSummary
    /// Scores per task family, for the families the runs report.
    public var byFamily: [String: ScoreSummary]
    /// Scores per difficulty level, for the levels the runs report.
    public var byDifficulty: [Int: ScoreSummary]
    /// Scores per family and, within it, per difficulty level, for those the runs report; empty when the runs
    /// predate the record.
    public var byFamilyAndDifficulty: [String: [Int: ScoreSummary]]
    /// The mean over task families of each seed's family scores, then summarised across seeds; nil when no run
    /// reports any of the families.
    public var familyAverage: ScoreSummary?
    /// Training wall time in seconds.
    public var wallSeconds: SeedSummary
    /// Optimizer steps on pi.
    public var modelSteps: SeedSummary
    /// Optimizer steps on q.
    public var posteriorSteps: SeedSummary
    /// Tokens the workers sampled.
    public var sampledTokens: SeedSummary
    /// Tokens trained on; nil when the runs predate the record.
    public var trainedTokens: SeedSummary?

    /// Summarises `runs`, or returns nil when there are none.
    /// - Parameters:
    ///   - runs: the arm's runs, one per seed.
    ///   - families: the task families whose scores make up the family average.
    public init?(runs: [ArmRun], families: [String]) {
        let evaluations = runs.map(\.evaluation)
        guard let overall = ScoreSummary(evaluations.map(\.overall)),
            let wallSeconds = SeedSummary(runs.map(\.wallSeconds)),
            let modelSteps = SeedSummary(runs.map { Double($0.modelSteps) }),
            let posteriorSteps = SeedSummary(runs.map { Double($0.posteriorSteps) }),
            let sampledTokens = SeedSummary(runs.map { Double($0.sampledTokens) })
        else { return nil }
        self.overall = overall
        self.wallSeconds = wallSeconds
        self.modelSteps = modelSteps
        self.posteriorSteps = posteriorSteps
        self.sampledTokens = sampledTokens
        let trained = runs.compactMap(\.trainedTokens)
        trainedTokens = trained.count == runs.count ? SeedSummary(trained.map(Double.init)) : nil
        let familyNames = Set(evaluations.flatMap(\.byFamily.keys))
        let levels = Set(evaluations.flatMap(\.byDifficulty.keys))
        byFamily = Dictionary(
            uniqueKeysWithValues: familyNames.compactMap { family in
                ScoreSummary(evaluations.compactMap { $0.byFamily[family] }).map { (family, $0) }
            })
        byDifficulty = Dictionary(
            uniqueKeysWithValues: levels.compactMap { level in
                ScoreSummary(evaluations.compactMap { $0.byDifficulty[level] }).map { (level, $0) }
            })
        byFamilyAndDifficulty = Dictionary(
            uniqueKeysWithValues: familyNames.compactMap { family in
                let levelsByRun = evaluations.compactMap { $0.byFamilyAndDifficulty?[family] }
                let levels = Set(levelsByRun.flatMap(\.keys))
                let scores = Dictionary(
                    uniqueKeysWithValues: levels.compactMap { level in
                        ScoreSummary(levelsByRun.compactMap { $0[level] }).map { (level, $0) }
                    })
                return scores.isEmpty ? nil : (family, scores)
            })
        familyAverage = ScoreSummary(evaluations.compactMap { Self.familyMean(of: $0, families: families) })
    }

    /// The scores of `group`: of its level within its family, or across families.
    /// - Parameter group: a group of questions.
    /// - Returns: its scores, or nil when the runs do not report them.
    public func scores(of group: DifficultyGroup) -> ScoreSummary? {
        guard let family = group.family else { return byDifficulty[group.level] }
        return byFamilyAndDifficulty[family]?[group.level]
    }

    /// One seed's scores averaged over `families`, skipping families it does not report.
    private static func familyMean(of evaluation: EvaluationReport, families: [String]) -> EvaluationReport.Scores? {
        let scores = families.compactMap { evaluation.byFamily[$0] }
        guard !scores.isEmpty else { return nil }
        let count = Double(scores.count)
        return EvaluationReport.Scores(
            questionCount: scores.reduce(0) { $0 + $1.questionCount },
            averageAtK: scores.reduce(0) { $0 + $1.averageAtK } / count,
            passAtK: scores.reduce(0) { $0 + $1.passAtK } / count)
    }
}
