// The `vr` command line: parses arguments and hands them to the libraries; no logic of its own.

import ArgumentParser

/// The entry point of `vr`.
@main
struct VR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vr",
        abstract: "Variational reasoning for language models: training, sampling and benchmarks.",
        subcommands: [
            SFTCommand.self, ToyDataCommand.self, SampleCommand.self, BenchCommand.self, WeightsCommand.self,
            TasksCommand.self, LearnerCommand.self, WorkerCommand.self, EvalCommand.self, SFTDataCommand.self,
            DemoCommand.self, BuildDataCommand.self, ExperimentCommand.self, ReportCommand.self, KeysCommand.self,
        ])

    /// Selects fast OpenBLAS kernels (see `BLASRelaunch`), then parses the arguments and runs the command.
    static func main() {
        BLASRelaunch.relaunchIfNeeded()
        main(nil)
    }
}
