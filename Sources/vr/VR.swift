// The `vr` command line: parses arguments and hands them to the libraries; no logic of its own.

import ArgumentParser
import Foundation
import VRTensor

/// The entry point of `vr`.
@main
struct VR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vr",
        abstract: "Variational reasoning for language models: training, sampling and benchmarks.",
        discussion: """
            Environment: VR_THREADS sets the compute threads (default: every online core). VR_KERNELS forces one \
            version of the C decoding kernels (baseline, avx2 or avx512 on x86-64; neon on aarch64) instead of the \
            widest the CPU runs; `vr bench` prints the version in use.
            """,
        subcommands: [
            SFTCommand.self, ToyDataCommand.self, SampleCommand.self, BenchCommand.self, WeightsCommand.self,
            TasksCommand.self, LearnerCommand.self, WorkerCommand.self, EvalCommand.self, SFTDataCommand.self,
            DemoCommand.self, BuildDataCommand.self, ExperimentCommand.self, ReportCommand.self, KeysCommand.self,
        ])

    /// Selects fast OpenBLAS kernels (see `BLASRelaunch`) and the C kernels `VR_KERNELS` names, if any, then
    /// parses the arguments and runs the command.
    static func main() {
        BLASRelaunch.relaunchIfNeeded()
        do {
            try KernelInstructionSet.selectFromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            exit(withError: error)
        }
        main(nil)
    }
}
