// Sampling an experiment's trace pools: `vr build-data` as a child process, once per pool and seed, skipped when the
// run directory holds the pool already (it is written atomically, so a pool file is complete).

import Foundation
import VRCore
import VRWire

/// Samples the trace pools of the offline arms into the run directory's `pools/`.
struct TracePoolStage: Sendable {
    /// The run directory.
    let directory: String
    /// The experiment.
    let configuration: ExperimentConfiguration
    /// What starts `vr build-data`.
    let launcher: DaemonLauncher
    /// Receives progress lines.
    let progress: @Sendable (String) -> Void

    /// The file of pool `source` for `seed`.
    func path(_ source: PoolSource, seed: UInt64) -> String {
        directory + "/pools/\(source.name)-seed-\(seed).jsonl"
    }

    /// Samples the pool unless it exists.
    /// - Parameters:
    ///   - source: who samples it.
    ///   - traces: K, traces per question.
    ///   - seed: the seed (workers sample with seed times 1000 plus their number).
    ///   - tasks: the questions (the offline split).
    ///   - reasoning: pi0, which scores the traces and samples the answers.
    ///   - posterior: the model served as q: the hinted q, or pi0 for its own pool.
    /// - Returns: the seconds sampling took, 0 when the pool existed.
    /// - Throws: `RunError` when `vr build-data` cannot start or fails.
    func sample(
        _ source: PoolSource, traces: Int, seed: UInt64, tasks: String, reasoning: String, posterior: String
    ) throws(RunError) -> Double {
        let pool = path(source, seed: seed)
        guard !FileManager.default.fileExists(atPath: pool) else {
            progress("== trace pool \(source.name), seed \(seed): using \(pool)")
            return 0
        }
        do {
            try FileManager.default.createDirectory(atPath: directory + "/pools", withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(directory)/pools: \(error.localizedDescription)")
        }
        let stem = pool.dropLast(".jsonl".count)
        let log = stem + ".log"
        let training = configuration.training
        let arguments = [
            "build-data", "--tasks", tasks, "--posterior", posterior, "--reasoning", reasoning, "--tokenizer",
            reasoning, "--hint", source.hint.rawValue, "--proposal", source.proposal.rawValue, "--traces", "\(traces)",
            "--pool", pool, "--output", stem + ".examples.jsonl", "--selection", "weighted", "--workers",
            "\(configuration.workers)", "--seed", "\(seed &* 1_000)", "--answers-per-trace",
            "\(training.answersPerTrace)", "--temperature", "\(configuration.offline.traceTemperature)",
            "--max-trace-tokens", "\(training.maxTraceTokens)",
        ]
        progress("== trace pool \(source.name), seed \(seed): \(traces) traces per question (log \(log))")
        let clock = ContinuousClock()
        let start = clock.now
        let process = try launcher.launch(arguments, log: String(log))
        var reported = ""
        while process.isRunning {
            Thread.sleep(forTimeInterval: 1)
            // The collection's progress, about twenty lines over the whole pool.
            let lines = (try? String(contentsOfFile: String(log), encoding: .utf8))?.split(separator: "\n") ?? []
            if let last = lines.last(where: { $0.contains("collected") || $0.contains("scored") }), last != reported {
                reported = String(last)
                progress("trace pool \(source.name), seed \(seed): \(reported)")
            }
        }
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pool) else {
            throw .child("vr build-data exited with status \(process.terminationStatus)", log: String(log))
        }
        return (clock.now - start).inSeconds
    }
}
