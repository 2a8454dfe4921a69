// The bias analysis of [E11] and [E12]: each arm's share of effective weight per difficulty group, next to how
// hard the group is for pi0 and how accurate the arm's traces were there.

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
        let byFamily = summary.difficultyGroups.contains { $0.family != nil }
        if byFamily {
            section.paragraph(
                "A level means something else in each task family, so each family's levels are kept apart and "
                    + "ordered from easiest to hardest by pi0's Avg@\(summary.k) on them; the claim (f) compares the "
                    + "first and the last.")
        }
        var table = MarkdownTable(header: [
            "Arm", byFamily ? "Family and level" : "Level", "pi0 Avg@\(summary.k)", "Weight share",
            "Mean trace accuracy", "Records",
        ])
        for arm in arms {
            for weight in summary.difficultyWeights[arm.name]?.groups ?? [] {
                let initialScore = summary.initial?.scores(of: weight.group)?.averageAtK.mean
                table.rows.append([
                    arm.label, weight.group.name, initialScore.map(ReportFormat.score) ?? "–",
                    weight.share.map(ReportFormat.score) ?? "–",
                    weight.meanTraceAccuracy.map(ReportFormat.score) ?? "–", "\(weight.recordCount)",
                ])
            }
        }
        section.table(table)
        // The run's groups in their order, then any that only the records hold.
        var groups = summary.difficultyGroups
        for arm in arms {
            for weight in summary.difficultyWeights[arm.name]?.groups ?? [] where !groups.contains(weight.group) {
                groups.append(weight.group)
            }
        }
        if !byFamily { groups.sort { $0.level < $1.level } }
        // The chart holds the main comparison (at most five arms); the table has every arm.
        let mainArms = arms.filter { $0.groups.contains("main") }
        let charted = Array((mainArms.isEmpty ? arms : mainArms).prefix(ChartPanel.maximumArms))
        let chart = BarChart(
            title: "Share of effective weight by difficulty",
            xLabel: byFamily ? "Family and level, easiest for pi0 first" : "Difficulty level", yLabel: "Weight share",
            categories: groups.map(\.title),
            series: charted.map { arm in
                BarSeries(
                    name: arm.label,
                    bars: groups.map { group in
                        summary.difficultyWeights[arm.name]?.share(of: group).map { Bar(value: $0) }
                    }, colour: summary.results.colour(ofArm: arm.name))
            }, valueAxis: .unitInterval)
        section.chart(chart.svg, fileName: chartFileName, description: "Share of effective weight by difficulty level")
        return section
    }
}
