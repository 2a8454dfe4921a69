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
    /// The effective weight per difficulty level of each arm with question records, keyed by the arm's name.
    public let difficultyWeights: [String: DifficultyWeights]

    /// Summarises `run`.
    /// - Parameter run: a run directory's contents.
    public init(run: ExperimentRun) {
        let results = run.results
        self.run = run
        base = results.base.flatMap { ArmSummary(runs: [$0], families: results.families) }
        initial = ArmSummary(runs: [results.initial], families: results.families)
        var arms: [String: ArmSummary] = [:]
        var difficultyWeights: [String: DifficultyWeights] = [:]
        for arm in results.arms {
            arms[arm.name] = ArmSummary(runs: arm.runs, families: results.families)
            let recordsBySeed = arm.runs.compactMap { run.questions(of: $0) }
            if !recordsBySeed.isEmpty {
                difficultyWeights[arm.name] = DifficultyWeights(
                    records: recordsBySeed.flatMap(\.self), levels: results.difficulties)
            }
        }
        self.arms = arms
        self.difficultyWeights = difficultyWeights
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
