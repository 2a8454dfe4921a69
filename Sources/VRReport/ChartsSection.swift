// The report's charts of scores and training: Avg@k and pass@k per arm, both against K, and the model-phase loss
// and trace accuracy against the model step.

import VRRecords

/// The training curves in panels, the per-arm score chart and the K curve.
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

    /// Points in each moving average of the per-step curves.
    static let smoothingWindow = 9

    private static func addTrainingCurves(_ summary: ExperimentSummary, to section: inout ReportSection) {
        section.lines += ["## Training curves", ""]
        var armMetrics: [String: (label: String, seeds: [[StepMetrics]])] = [:]
        for arm in summary.results.arms {
            let seeds = arm.runs.compactMap { summary.run.metrics(of: $0) }
            if !seeds.isEmpty { armMetrics[arm.name] = (arm.label, seeds) }
        }
        guard !armMetrics.isEmpty else {
            section.paragraph("No arm recorded step metrics.")
            return
        }
        section.paragraph(
            "Model phase only, against the model step (1, 2, 3... in each seed's order), in panels of at most "
                + "\(ChartPanel.maximumArms) arms; an arm has the same colour in every chart. Faint lines are the "
                + "per-step means over seeds, bold lines their moving average over \(smoothingWindow) steps.")
        let curves:
            [(fileName: String, title: String, yLabel: String, axis: ValueAxis, value: (StepMetrics) -> Double)] = [
                (lossFileName, "Model-phase loss", "Loss", .automatic, { $0.loss }),
                (
                    accuracyFileName, "Trace accuracy", "Mean sampled-answer accuracy", .unitInterval,
                    { $0.meanAccuracy }
                ),
            ]
        for panel in ChartPanel.panels(of: summary.results, drawing: Set(armMetrics.keys)) {
            for (fileName, title, yLabel, axis, value) in curves {
                let chart = LineChart(
                    title: "\(title): \(panel.title)", xLabel: "Model step", yLabel: yLabel,
                    series: panel.armNames.compactMap { name in
                        armMetrics[name].map {
                            LineSeries(
                                name: $0.label, points: TrainingCurve.modelPhase($0.seeds, value: value),
                                colour: summary.results.colour(ofArm: name))
                        }
                    }, valueAxis: axis, smoothingWindow: smoothingWindow)
                section.chart(chart.svg, fileName: panel.fileName(fileName), description: chart.title)
            }
        }
    }

    private static func addScores(_ summary: ExperimentSummary, to section: inout ReportSection) {
        section.lines += ["## Avg@k and pass@k per arm", ""]
        section.paragraph(
            "Overall scores of pi0 and every arm, each in its colour: Avg@\(summary.k) solid, pass@\(summary.k) light; "
                + "error bars ±1 standard deviation over seeds.")
        let rows =
            [(ExperimentSummary.initialLabel, summary.initial)]
            + summary.results.arms.map { ($0.label, summary.summary(of: $0)) }
        let chart = BarChart(
            title: "Avg@\(summary.k) and pass@\(summary.k) per arm", xLabel: "Arm", yLabel: "Score",
            categories: rows.map(\.0),
            series: [
                BarSeries(name: "Avg@\(summary.k)", bars: rows.map { bar($0.1?.overall.averageAtK) }),
                BarSeries(name: "pass@\(summary.k)", bars: rows.map { bar($0.1?.overall.passAtK) }, opacity: 0.45),
            ],
            categoryColours: [ChartPalette.neutral]
                + summary.results.arms.map { summary.results.colour(ofArm: $0.name) },
            valueAxis: .unitInterval)
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
            ], xTicks: Array(Set(arms.map(\.traces))).sorted(), valueAxis: .unitInterval)
        section.chart(chart.svg, fileName: tracesFileName, description: chart.title)
    }

    private static func bar(_ score: SeedSummary?) -> Bar? {
        score.map { Bar(value: $0.mean, error: $0.standardDeviation) }
    }

    private static func point(x: Double, _ score: SeedSummary) -> ChartPoint {
        ChartPoint(x: x, y: score.mean, spread: score.standardDeviation)
    }
}
