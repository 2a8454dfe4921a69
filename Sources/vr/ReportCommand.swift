// `vr report`: the Markdown report and SVG charts of a run directory written by `vr experiment`.

import ArgumentParser
import Foundation
import VRReport

/// Reads a run directory and writes its report: tables, charts and verdicts on the paper's claims.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the Markdown report and SVG charts of an experiment run.")

    @Option(name: .customLong("run"), help: "Run directory written by `vr experiment` (holds results.json).")
    var runDirectory: String

    @Option(help: "Directory for README.md and the charts (created if missing).")
    var output = "docs/results"

    func run() throws {
        let written = try ExperimentReport.write(
            runDirectory: URL(fileURLWithPath: runDirectory), outputDirectory: URL(fileURLWithPath: output))
        for file in written { printProgress("wrote \(file.path)") }
    }
}
