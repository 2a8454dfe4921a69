// The report's diagnostics of training, for telling why an arm fell short: weights concentrated on one trace or
// on none, a proposal collapsing onto short answer-revealing traces, or a budget that ended while curves still moved.

import VRRecords

/// The diagnostics table, how to read it, and the effective sample size and trace length charts.
enum DiagnosticsSection {
    /// The effective sample size chart's file name.
    static let effectiveSampleSizeFileName = "diagnostics-ess.svg"
    /// The trace length chart's file name.
    static let traceLengthFileName = "diagnostics-trace-length.svg"

    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        var section = ReportSection()
        section.lines += ["## Diagnostics", ""]
        let arms = summary.results.arms.compactMap { ArmDiagnostics(arm: $0, run: summary.run) }
        guard !arms.isEmpty else {
            section.paragraph("No arm recorded step metrics.")
            return section
        }
        section.paragraph(
            "Model phase only. Each quantity is averaged over seeds at each model step, then over the first 10% of "
                + "the arm's model steps (at least one) → over the last 10%. ESS is the mean effective sample size "
                + "of a step's question weights (at most K); zero-weight share the share of a step's questions whose "
                + "traces all got weight 0; bound the multi-trace bound estimate ([E3]); trace accuracy the mean "
                + "sampled-answer accuracy of the step's traces; trace length their mean length in tokens (n/a when "
                + "the metrics do not record it).")
        var table = MarkdownTable(header: [
            "Arm", "K", "ESS", "Zero-weight share", "Bound", "Trace accuracy", "Trace length (tokens)",
        ])
        let tenths = { (value: Double) in ReportFormat.fixed(value, decimals: 1) }
        for arm in arms {
            table.rows.append([
                arm.label, arm.traces.map(String.init) ?? "–",
                cell(arm.startAndEnd(of: arm.effectiveSampleSize), tenths),
                cell(arm.startAndEnd(of: arm.zeroWeightShare), ReportFormat.score),
                cell(arm.startAndEnd(of: arm.bound), ReportFormat.score),
                cell(arm.startAndEnd(of: arm.traceAccuracy), ReportFormat.score),
                cell(arm.startAndEnd(of: arm.traceTokens), tenths),
            ])
        }
        section.table(table)
        section.paragraph(
            "How to read it: an ESS close to 1 of at most K means one trace takes nearly all of a question's weight; "
                + "a large zero-weight share means few questions have a usable trace; trace length falling while "
                + "trace accuracy rises towards 1 means the proposal is collapsing onto short traces that reveal the "
                + "answer; loss or accuracy still moving at the last step (see the training curves) means the budget "
                + "ended early.")
        section.paragraph(
            "Against the model step (1, 2, 3... in each seed's order), in the training curves' panels and colours; "
                + "faint lines are the per-step means over seeds, bold lines their moving average over "
                + "\(ChartsSection.smoothingWindow) steps.")
        addCharts(
            arms, results: summary.results, fileName: effectiveSampleSizeFileName,
            title: "Effective sample size of the weights", yLabel: "ESS", curve: \.effectiveSampleSize,
            missing: "No arm recorded effective sample sizes.", to: &section)
        addCharts(
            arms, results: summary.results, fileName: traceLengthFileName, title: "Mean trace length",
            yLabel: "Tokens", curve: \.traceTokens, missing: "No arm recorded trace lengths.", to: &section)
        return section
    }

    /// `values` as `first → last`, each side formatted by `format` or n/a; n/a alone when both are missing.
    private static func cell(_ values: StartAndEnd, _ format: (Double) -> String) -> String {
        guard values.first != nil || values.last != nil else { return "n/a" }
        return "\(values.first.map(format) ?? "n/a") → \(values.last.map(format) ?? "n/a")"
    }

    /// Adds the panels of `curve` for the arms that have points, or the sentence `missing` when none has.
    private static func addCharts(
        _ arms: [ArmDiagnostics], results: ExperimentResults, fileName: String, title: String, yLabel: String,
        curve: KeyPath<ArmDiagnostics, [ChartPoint]>, missing: String, to section: inout ReportSection
    ) {
        let drawn = Dictionary(
            arms.filter { !$0[keyPath: curve].isEmpty }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard !drawn.isEmpty else {
            section.paragraph(missing)
            return
        }
        for panel in ChartPanel.panels(of: results, drawing: Set(drawn.keys)) {
            let chart = LineChart(
                title: "\(title): \(panel.title)", xLabel: "Model step", yLabel: yLabel,
                series: panel.armNames.compactMap { name in
                    drawn[name].map {
                        LineSeries(name: $0.label, points: $0[keyPath: curve], colour: results.colour(ofArm: name))
                    }
                }, valueAxis: .atLeast(0), smoothingWindow: ChartsSection.smoothingWindow)
            section.chart(chart.svg, fileName: panel.fileName(fileName), description: chart.title)
        }
    }
}
