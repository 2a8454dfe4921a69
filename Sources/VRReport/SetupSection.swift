// The report's first part: what ran, where, for how long, and the budget each arm spent.

/// The title, the setup and the budget table.
enum SetupSection {
    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        let results = summary.results
        let totalWallSeconds = results.arms.flatMap(\.runs).reduce(results.initial.wallSeconds) { $0 + $1.wallSeconds }
        var section = ReportSection()
        section.lines += ["# Results: \(results.name)", "", "## Setup", ""]
        section.paragraph(
            [
                "- Command: `\(results.command)`",
                "- Machine: \(results.machine)",
                "- Evaluation: Avg@\(summary.k) and pass@\(summary.k), k = \(summary.k) samples per test question "
                    + "at temperature \(results.temperature)",
                "- Task families: \(results.families.joined(separator: ", ")); difficulty levels: "
                    + results.difficulties.map(String.init).joined(separator: ", "),
                "- Total wall time: \(ReportFormat.seconds(totalWallSeconds)) s over \(results.arms.count) arms",
                "- Scores are mean ± sample standard deviation over seeds (n - 1; 0 for one seed).",
            ].joined(separator: "\n")
                + (results.schedule.map {
                    "\n- Every arm, SFT included, trains pi with: \($0); the peak learning rate is in the budget table."
                } ?? ""))
        section.lines += ["## Budget", ""]
        section.paragraph("Means over each arm's seeds.")
        var table = MarkdownTable(
            header: [
                "Arm", "Method", "Seeds", "Peak learning rate", "Wall time per seed (s)", "Model steps",
                "Posterior steps", "Sampled tokens",
            ], textColumnCount: 2)
        for arm in results.arms {
            guard let armSummary = summary.summary(of: arm) else { continue }
            table.rows.append([
                arm.label, arm.method, "\(arm.runs.count)", arm.learningRate.map { "\($0)" } ?? "-",
                ReportFormat.seconds(armSummary.wallSeconds.mean),
                ReportFormat.count(armSummary.modelSteps.mean), ReportFormat.count(armSummary.posteriorSteps.mean),
                ReportFormat.count(armSummary.sampledTokens.mean),
            ])
        }
        section.table(table)
        return section
    }
}
