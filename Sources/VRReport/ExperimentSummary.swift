// The statistics of a whole run: every arm's scores and budget across seeds and, for arms that record question
// weights, the weight per difficulty level.

import VRRecords

/// Statistics across seeds of every arm of a run.
public struct ExperimentSummary: Sendable {
    /// The run they summarise.
    public let run: ExperimentRun
    /// The pretrained base model's own scores, when the experiment started from one.
    public let base: ArmSummary?
    /// The initial model pi0's scores (one run, so the spread is 0).
    public let initial: ArmSummary?
    /// Each arm's summary, keyed by the arm's name.
    public let arms: [String: ArmSummary]
    /// The groups of questions of the bias analysis, easiest first (`DifficultyGroup.groups(of:initial:)`).
    public let difficultyGroups: [DifficultyGroup]
    /// The effective weight per group of questions of each arm with question records, keyed by the arm's name.
    public let difficultyWeights: [String: DifficultyWeights]
    /// The pooled standard deviation across seeds of overall Avg@k, over the arms with more than one seed.
    ///
    /// The square root of their variances weighted by seeds - 1; nil when no arm has two seeds.
    public let pooledSeedSpread: Double?

    /// Summarises `run`.
    /// - Parameter run: a run directory's contents.
    public init(run: ExperimentRun) {
        let results = run.results
        self.run = run
        base = results.base.flatMap { ArmSummary(runs: [$0], families: results.families) }
        let initial = ArmSummary(runs: [results.initial], families: results.families)
        self.initial = initial
        let groups = DifficultyGroup.groups(of: results, initial: initial)
        difficultyGroups = groups
        var arms: [String: ArmSummary] = [:]
        var difficultyWeights: [String: DifficultyWeights] = [:]
        for arm in results.arms {
            arms[arm.name] = ArmSummary(runs: arm.runs, families: results.families)
            let recordsBySeed = arm.runs.compactMap { run.questions(of: $0) }
            if !recordsBySeed.isEmpty {
                difficultyWeights[arm.name] = DifficultyWeights(records: recordsBySeed.flatMap(\.self), groups: groups)
            }
        }
        self.arms = arms
        self.difficultyWeights = difficultyWeights
        let spreads = arms.values.map(\.overall.averageAtK).filter { $0.seedCount > 1 }
        let degrees = spreads.reduce(0) { $0 + $1.seedCount - 1 }
        pooledSeedSpread =
            degrees > 0
            ? (spreads.reduce(0) { $0 + Double($1.seedCount - 1) * $1.standardDeviation * $1.standardDeviation }
                / Double(degrees)).squareRoot() : nil
    }

    /// The results the run holds.
    public var results: ExperimentResults { run.results }

    /// The summary of `arm`, if it has runs.
    /// - Parameter arm: one of the results' arms.
    /// - Returns: its summary.
    public func summary(of arm: ArmResult) -> ArmSummary? {
        arms[arm.name]
    }
}
