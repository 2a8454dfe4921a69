// `vr report`: the Markdown report and SVG charts of a run directory, written by `vr experiment` or `vr learner`.

import ArgumentParser
import Foundation
import VRReport

/// Reads a run directory and writes its report: for an experiment, tables, charts and verdicts on the paper's
/// claims; for a learner run, its counters and training curves.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the Markdown report and SVG charts of an experiment run or of a learner run.")

    @Option(
        name: .customLong("run"),
        help: "Run directory of `vr experiment` (holds results.json) or of `vr learner` (holds metrics.jsonl).")
    var runDirectory: String

    @Option(help: "Directory for README.md and the charts (created if missing).")
    var output = "docs/results"

    func run() throws {
        let run = URL(fileURLWithPath: runDirectory)
        let files = FileManager.default
        let written: [URL]
        if files.fileExists(atPath: run.appendingPathComponent("results.json").path) {
            written = try ExperimentReport.write(runDirectory: run, outputDirectory: URL(fileURLWithPath: output))
        } else if files.fileExists(atPath: run.appendingPathComponent("metrics.jsonl").path) {
            written = try LearnerRunReport.write(runDirectory: run, outputDirectory: URL(fileURLWithPath: output))
        } else {
            throw ValidationError(
                "\(runDirectory) holds neither results.json (vr experiment) nor metrics.jsonl (vr learner)")
        }
        for file in written { printProgress("wrote \(file.path)") }
    }
}
