// `vr report` on a learner's run directory: its training curves and counters, from RUN/metrics.jsonl.

import Foundation
import VRCore
import VRRecords

/// The report of one `vr learner --run` directory: `README.md` with the run's counters and SVG charts of its
/// loss, bound, effective sample size, trace accuracy, throughput and lag against the step.
public struct LearnerRunReport: Sendable {
    /// Every file of the report, keyed by file name: the Markdown page and the charts.
    public let files: [String: String]

    /// Builds the report of a run's metrics lines.
    /// - Parameters:
    ///   - metrics: the lines of `metrics.jsonl`, in file order.
    ///   - name: the run's name, for the title.
    /// - Throws: `ReportError.invalidResults` when there are no lines.
    public init(metrics: [StepMetrics], name: String) throws(ReportError) {
        guard let last = metrics.last else {
            throw .invalidResults(path: name, reason: "metrics.jsonl has no steps yet")
        }
        var section = ReportSection()
        section.lines += ["# Learner run \(name)", ""]
        let rejections = (last.rejections ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let counters: [(String, String)] = [
            (
                "steps (model / posterior)",
                "\(metrics.count { $0.phase == .model }) / \(metrics.count { $0.phase == .posterior })"
            ),
            ("parameter version", "\(last.parameterVersion)"),
            ("elapsed", String(format: "%.0f s", last.elapsedSeconds)),
            ("steps skipped", last.skippedSteps.map { "\($0)" } ?? "not recorded"),
            (
                "batches stale / duplicate / rejected",
                "\(last.staleBatches) / \(last.duplicateBatches) / \(last.rejectedBatches)"
            ),
            ("workers lost", "\(last.lostWorkers)"),
            ("messages refused", rejections.isEmpty ? "none" : rejections.joined(separator: ", ")),
        ]
        section.table(MarkdownTable(header: ["", "value"], textColumnCount: 2, rows: counters.map { [$0.0, $0.1] }))
        let curves: [(fileName: String, title: String, value: (StepMetrics) -> Double?)] = [
            ("loss.svg", "Loss", { $0.loss.isFinite ? $0.loss : nil }),
            ("bound.svg", "Multi-trace bound estimate [E3]", \.bound),
            ("effective-sample-size.svg", "Effective sample size of the weights", \.effectiveSampleSize),
            ("trace-accuracy.svg", "Trace accuracy (mean sampled-answer accuracy)", { $0.meanAccuracy }),
            ("rollouts-per-second.svg", "Traces received per second", { $0.rolloutsPerSecond }),
            ("lag.svg", "Mean lag of the step's batches (versions)", { $0.meanLag }),
        ]
        for (fileName, title, value) in curves {
            let series = [RolloutPhase.model, .posterior].compactMap { phase -> LineSeries? in
                let points = metrics.filter { $0.phase == phase }.compactMap { line in
                    value(line).map { ChartPoint(x: Double(line.step), y: $0) }
                }
                return points.isEmpty ? nil : LineSeries(name: "\(phase) phase", points: points)
            }
            guard !series.isEmpty else { continue }
            let chart = LineChart(title: title, xLabel: "Step (both phases)", yLabel: title, series: series)
            section.chart(chart.svg, fileName: fileName, description: title)
        }
        var files = section.charts
        files[ExperimentReport.pageFileName] = section.lines.joined(separator: "\n") + "\n"
        self.files = files
    }

    /// Reads `RUN/metrics.jsonl` and writes the report into `outputDirectory`.
    /// - Parameters:
    ///   - runDirectory: a directory written by `vr learner --run`.
    ///   - outputDirectory: where the report goes.
    /// - Returns: the files written, in name order.
    /// - Throws: `ReportError` naming the metrics line that is malformed, or the output that could not be written.
    @discardableResult
    public static func write(runDirectory: URL, outputDirectory: URL) throws(ReportError) -> [URL] {
        let metrics = try JSONFileReader.lines(
            StepMetrics.self, at: runDirectory.appendingPathComponent("metrics.jsonl"))
        let report = try LearnerRunReport(metrics: metrics, name: runDirectory.relativePath)
        return try ReportFiles.write(report.files, to: outputDirectory)
    }
}
