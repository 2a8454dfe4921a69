// `vr bench`: sgemm peak and training/sampling throughput of the reference model sizes.

import ArgumentParser
import Foundation
import VRBench
import VRTensor
import VRText
import VRZMQ

/// Measures this machine's throughput for the reference configurations.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure sgemm peak and training/sampling throughput.")

    @Option(help: "Comma-separated reference configurations: S, M.")
    var configs: String = "S,M"

    @Option(help: "Timed runs per measurement (the best is kept).")
    var repeats: Int = 3

    @Option(help: "Optimizer steps per timed training run.")
    var steps: Int = 5

    @Flag(help: "Print one BenchmarkResult JSON object per configuration.")
    var json = false

    func validate() throws {
        guard repeats >= 1 else {
            throw ValidationError("--repeats must be at least 1, got \(repeats)")
        }
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
        _ = try references()
    }

    func run() throws {
        let benchmarks = Benchmarks(repeats: repeats, trainingSteps: steps)
        if !json {
            print(
                "threads \(ComputePool.shared.threadCount), OpenBLAS kernels \(BLASRuntime.coreName), "
                    + "libzmq \(ZeroMQLibrary.versionString)")
        }
        let peak = benchmarks.sgemmPeak()
        if !json { print("sgemm peak \(fixed(peak, 1)) GFLOP/s (1024^3)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for reference in try references() {
            let result = try benchmarks.measure(reference, sgemmPeakGFLOPS: peak)
            if json {
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                let model = reference.model
                print(
                    "\(reference.name) (L\(model.layerCount) C\(model.width) H\(model.headCount) "
                        + "T\(model.contextLength)): train \(fixed(result.trainingTokensPerSecond, 0)) tok/s "
                        + "\(fixed(result.trainingGFLOPS, 1)) GFLOP/s "
                        + "(\(fixed(100 * result.trainingGFLOPS / peak, 0))% of sgemm), "
                        + "sample \(fixed(result.samplingTokensPerSecond, 0)) tok/s "
                        + "\(fixed(result.samplingGFLOPS, 1)) GFLOP/s (\(fixed(100 * result.samplingGFLOPS / peak, 0))%)"
                )
            }
            fflush(nil)  // nil flushes every stream: progress shows up promptly through pipes too
        }
    }

    /// The configurations named by `--configs`.
    private func references() throws -> [ReferenceConfiguration] {
        let vocabularySize = ByteTokenizer.vocabularySize
        return try configs.split(separator: ",").map { name in
            switch name.trimmingCharacters(in: .whitespaces).uppercased() {
            case "S": return .small(vocabularySize: vocabularySize)
            case "M": return .medium(vocabularySize: vocabularySize)
            default: throw ValidationError("--configs lists S and/or M, got \"\(name)\"")
            }
        }
    }

    /// `value` with `digits` decimals.
    private func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
