// The demo's closing table: held-out accuracy of pi before and after variational training, per difficulty.

import VRRecords
import VRWorker

/// Greedy accuracy and Avg@4 / pass@4 of one checkpoint.
struct DemoScores {
    /// Temperature 0, one sample.
    let greedy: EvaluationReport
    /// Temperature 1, four samples.
    let sampled: EvaluationReport
}

/// The before/after table.
struct DemoTable {
    /// The table as text.
    let text: String

    /// Lays out the scores.
    /// - Parameters:
    ///   - before: pi after SFT (stage 1).
    ///   - after: pi after variational training.
    ///   - testCount: the number of held-out questions.
    init(before: DemoScores, after: DemoScores, testCount: Int) {
        var lines = [
            "held-out accuracy of pi on \(testCount) test questions (addition; difficulty = digits)",
            "difficulty  questions  greedy before -> after  Avg@4 before -> after  pass@4 before -> after",
        ]
        let levels = before.greedy.byDifficulty.keys.sorted()
        let rows: [(String, (DemoScores) -> EvaluationReport.Scores?)] =
            levels.map { level in ("\(level)", { $0.greedy.byDifficulty[level] }) } + [("all", { $0.greedy.overall })]
        for (name, greedyScores) in rows {
            let sampledScores: (DemoScores) -> EvaluationReport.Scores? =
                name == "all" ? { $0.sampled.overall } : { $0.sampled.byDifficulty[Int(name) ?? 0] }
            guard let greedyBefore = greedyScores(before), let greedyAfter = greedyScores(after),
                let sampledBefore = sampledScores(before), let sampledAfter = sampledScores(after)
            else { continue }
            let line =
                name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + "\(greedyBefore.questionCount)".padding(toLength: 11, withPad: " ", startingAt: 0)
                + Self.change(greedyBefore.averageAtK, greedyAfter.averageAtK)
                + Self.change(sampledBefore.averageAtK, sampledAfter.averageAtK)
                + Self.change(sampledBefore.passAtK, sampledAfter.passAtK)
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        text = lines.joined(separator: "\n")
    }

    private static func change(_ before: Double, _ after: Double) -> String {
        (decimal(before, 3) + " -> " + decimal(after, 3)).padding(toLength: 24, withPad: " ", startingAt: 0)
    }
}
