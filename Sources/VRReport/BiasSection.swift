// The bias analysis of [E11] and [E12]: each arm's share of effective weight per difficulty level, next to how
// hard the level is for pi0 and how accurate the arm's traces were there.

/// The weight-by-difficulty table and chart.
enum BiasSection {
    /// The chart's file name.
    static let chartFileName = "weight-by-difficulty.svg"

    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        let arms = summary.results.arms.filter { summary.difficultyWeights[$0.name] != nil }
        var section = ReportSection()
        section.lines += ["## Weight by difficulty level (bias of RFT and GRPO)", ""]
        guard !arms.isEmpty else {
            section.paragraph("No arm recorded question weights.")
            return section
        }
        section.paragraph(
            "Share of effective weight: the sum of the effective weights of a level's question records over the "
                + "sum over all records, pooled over model steps and seeds. RFT and GRPO weights grow with a "
                + "question's accuracy ([E11], [E12]); the variational weights give each question the same total. "
                + "pi0 Avg@\(summary.k) is the initial model's score on the level; trace accuracy is the mean over "
                + "the level's records.")
        var table = MarkdownTable(header: [
            "Arm", "Level", "pi0 Avg@\(summary.k)", "Weight share", "Mean trace accuracy", "Records",
        ])
        for arm in arms {
            for level in summary.difficultyWeights[arm.name]?.levels ?? [] {
                let initialScore = summary.initial?.byDifficulty[level.difficulty]?.averageAtK.mean
                table.rows.append([
                    arm.label, "\(level.difficulty)", initialScore.map(ReportFormat.score) ?? "–",
                    level.share.map(ReportFormat.score) ?? "–", level.meanTraceAccuracy.map(ReportFormat.score) ?? "–",
                    "\(level.recordCount)",
                ])
            }
        }
        section.table(table)
        let levels = Set(arms.flatMap { summary.difficultyWeights[$0.name]?.levels.map(\.difficulty) ?? [] }).sorted()
        // The chart holds the main comparison (at most five arms); the table has every arm.
        let mainArms = arms.filter { $0.groups.contains("main") }
        let charted = Array((mainArms.isEmpty ? arms : mainArms).prefix(ChartPanel.maximumArms))
        let chart = BarChart(
            title: "Share of effective weight by difficulty", xLabel: "Difficulty level", yLabel: "Weight share",
            categories: levels.map { "Level \($0)" },
            series: charted.map { arm in
                BarSeries(
                    name: arm.label,
                    bars: levels.map { level in
                        summary.difficultyWeights[arm.name]?.share(of: level).map { Bar(value: $0) }
                    }, colour: summary.results.colour(ofArm: arm.name))
            }, valueAxis: .unitInterval)
        section.chart(chart.svg, fileName: chartFileName, description: "Share of effective weight by difficulty level")
        return section
    }
}
