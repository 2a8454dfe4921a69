// `vr experiment`: every arm of a configuration trained through the learner/worker service, evaluated, recorded.

import ArgumentParser
import Foundation
import VRExperiment

/// Runs an experiment from a configuration file into a run directory; `vr report` turns it into a report.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Train every arm of an experiment under the same budget, evaluate them, and record the results.",
        discussion: """
            Generates the tasks; trains the initial reasoning model pi0 (SFT on the reference thoughts) and the \
            hinted posterior q; then, for every arm and seed, either continues SFT (the baseline) or starts \
            `vr learner` and the configured number of `vr worker` processes on loopback with the arm's method \
            (variational with Acc or GML, weighted or best trace, K traces, hinted q or pi0's traces; RFT; GRPO). \
            Each run is evaluated on the held-out split (Avg@k, pass@k per family and difficulty) and recorded \
            in RUN/results.json. Finished runs are kept: running the same command again continues an interrupted \
            experiment. With --records DIR the experiment's records (the configuration, the results, the \
            evaluations, each finished run's record, step metrics and question weights; no checkpoint) are also kept \
            in DIR after each run, and taken from DIR where the run directory lacks them: the experiment continues \
            on another machine or in a new checkout, training again only the initial models and trace pools that \
            unfinished arms need. See experiments/ for configurations.
            """)

    @Option(help: "The experiment configuration (JSON).")
    var config: String

    @Option(name: .customLong("run"), help: "The run directory.")
    var runDirectory: String

    @Option(help: "Comma-separated arm names to run (default: all).")
    var arms: String?

    @Option(help: "Also keep the experiment's records here, and continue from those the run directory lacks.")
    var records: String?

    func run() throws {
        try ExperimentRunner(
            configuration: try ExperimentConfiguration.read(from: config),
            configurationText: try Data(contentsOf: URL(fileURLWithPath: config)), directory: runDirectory,
            command: (["vr"] + CommandLine.arguments.dropFirst()).joined(separator: " "), launcher: .running,
            records: records, progress: printProgress
        ).run(armNames: Set((arms ?? "").split(separator: ",").map(String.init)))
    }
}
