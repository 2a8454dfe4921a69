// The report's charts of scores and training: Avg@k and pass@k per arm, both against K, and the model-phase loss
// and trace accuracy against the model step.

import VRLearner

/// The training curves, the per-arm score chart and the K curve.
enum ChartsSection {
    /// The model-phase loss chart's file name.
    static let lossFileName = "training-loss.svg"
    /// The trace accuracy chart's file name.
    static let accuracyFileName = "training-accuracy.svg"
    /// The per-arm score chart's file name.
    static let scoresFileName = "avg-pass-at-k.svg"
    /// The chart of scores against K.
    static let tracesFileName = "k-curve.svg"

    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        var section = ReportSection()
        addTrainingCurves(summary, to: &section)
        addScores(summary, to: &section)
        addTraceCurve(summary, to: &section)
        return section
    }

    private static func addTrainingCurves(_ summary: ExperimentSummary, to section: inout ReportSection) {
        section.lines += ["## Training curves", ""]
        let armMetrics = summary.results.arms.compactMap { arm -> (label: String, seeds: [[StepMetrics]])? in
            let seeds = arm.runs.compactMap { summary.run.metrics(of: $0) }
            return seeds.isEmpty ? nil : (arm.label, seeds)
        }
        guard !armMetrics.isEmpty else {
            section.paragraph("No arm recorded step metrics.")
            return
        }
        section.paragraph(
            "Model phase only, against the model step (1, 2, 3... in each seed's order); lines are means over seeds, "
                + "bands ±1 standard deviation.")
        let curves: [(fileName: String, title: String, yLabel: String, value: (StepMetrics) -> Double)] = [
            (lossFileName, "Model-phase loss", "Loss", { $0.loss }),
            (accuracyFileName, "Trace accuracy (mean sampled-answer accuracy)", "Trace accuracy", { $0.meanAccuracy }),
        ]
        for (fileName, title, yLabel, value) in curves {
            let chart = LineChart(
                title: title, xLabel: "Model step", yLabel: yLabel,
                series: armMetrics.map {
                    LineSeries(name: $0.label, points: TrainingCurve.modelPhase($0.seeds, value: value))
                })
            section.chart(chart.svg, fileName: fileName, description: title)
        }
    }

    private static func addScores(_ summary: ExperimentSummary, to section: inout ReportSection) {
        section.lines += ["## Avg@k and pass@k per arm", ""]
        section.paragraph("Overall scores of pi0 and every arm; error bars ±1 standard deviation.")
        let rows =
            [(ExperimentSummary.initialLabel, summary.initial)]
            + summary.results.arms.map { ($0.label, summary.summary(of: $0)) }
        let chart = BarChart(
            title: "Avg@\(summary.k) and pass@\(summary.k) per arm", xLabel: "Arm", yLabel: "Score",
            categories: rows.map(\.0),
            series: [
                BarSeries(name: "Avg@\(summary.k)", bars: rows.map { bar($0.1?.overall.averageAtK) }),
                BarSeries(name: "pass@\(summary.k)", bars: rows.map { bar($0.1?.overall.passAtK) }),
            ])
        section.chart(chart.svg, fileName: scoresFileName, description: chart.title)
    }

    private static func addTraceCurve(_ summary: ExperimentSummary, to section: inout ReportSection) {
        section.lines += ["## Avg@k and pass@k against K", ""]
        let arms = summary.results.armsByTraces(inGroup: "k").compactMap { arm in
            arm.traces.flatMap { traces in summary.summary(of: arm).map { (traces: Double(traces), summary: $0) } }
        }
        guard !arms.isEmpty else {
            section.paragraph("The run has no arm in group \"k\".")
            return
        }
        section.paragraph(
            "Group \"k\", overall scores against K, as in the paper's Figure 3; bands ±1 standard deviation.")
        let chart = LineChart(
            title: "Avg@\(summary.k) and pass@\(summary.k) against traces per question K", xLabel: "K",
            yLabel: "Score",
            series: [
                LineSeries(
                    name: "Avg@\(summary.k)",
                    points: arms.map { point(x: $0.traces, $0.summary.overall.averageAtK) }),
                LineSeries(
                    name: "pass@\(summary.k)", points: arms.map { point(x: $0.traces, $0.summary.overall.passAtK) }),
            ], xTicks: Array(Set(arms.map(\.traces))).sorted())
        section.chart(chart.svg, fileName: tracesFileName, description: chart.title)
    }

    private static func bar(_ score: SeedSummary?) -> Bar? {
        score.map { Bar(value: $0.mean, error: $0.standardDeviation) }
    }

    private static func point(x: Double, _ score: SeedSummary) -> ChartPoint {
        ChartPoint(x: x, y: score.mean, spread: score.standardDeviation)
    }
}
