// The demo's closing table: held-out accuracy of pi before and after variational training, per difficulty.

import VRCore
import VRRecords

/// The before/after table of a run with greedy and sampled scores.
public struct DemoTable: Sendable {
    /// The table as text.
    public let text: String

    /// Lays out the scores; nil when the results lack the arm's run or the greedy scores.
    /// - Parameters:
    ///   - results: an experiment's results whose evaluation includes greedy decoding (`ExperimentConfiguration.demo`).
    ///   - arm: the arm whose first run is the "after".
    public init?(_ results: ExperimentResults, arm: String = ExperimentConfiguration.demoArmName) {
        guard let after = results.arms.first(where: { $0.name == arm })?.runs.first,
            let greedyBefore = results.initial.greedyEvaluation, let greedyAfter = after.greedyEvaluation
        else { return nil }
        let before = (greedy: greedyBefore, sampled: results.initial.evaluation)
        let afterScores = (greedy: greedyAfter, sampled: after.evaluation)
        let k = results.samplesPerQuestion
        var lines = [
            "held-out accuracy of pi on \(greedyBefore.overall.questionCount) test questions (addition; difficulty = digits)",
            "difficulty  questions  greedy before -> after  Avg@\(k) before -> after  pass@\(k) before -> after",
        ]
        let rows: [(String, (EvaluationReport) -> EvaluationReport.Scores?)] =
            greedyBefore.byDifficulty.keys.sorted().map { level in ("\(level)", { $0.byDifficulty[level] }) }
            + [("all", { $0.overall })]
        for (name, scores) in rows {
            guard let greedyOld = scores(before.greedy), let greedyNew = scores(afterScores.greedy),
                let sampledOld = scores(before.sampled), let sampledNew = scores(afterScores.sampled)
            else { continue }
            let line =
                name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + "\(greedyOld.questionCount)".padding(toLength: 11, withPad: " ", startingAt: 0)
                + Self.change(greedyOld.averageAtK, greedyNew.averageAtK)
                + Self.change(sampledOld.averageAtK, sampledNew.averageAtK)
                + Self.change(sampledOld.passAtK, sampledNew.passAtK)
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        text = lines.joined(separator: "\n")
    }

    private static func change(_ before: Double, _ after: Double) -> String {
        (decimal(before, 3) + " -> " + decimal(after, 3)).padding(toLength: 24, withPad: " ", startingAt: 0)
    }
}
