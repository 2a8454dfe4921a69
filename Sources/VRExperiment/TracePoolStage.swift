// Sampling an experiment's trace pools: `vr build-data` as a child process, once per pool and seed, skipped when the
// run directory holds the pool already (it is written atomically, so a pool file is complete), with a record of
// what it cost beside it.

import Foundation
import VRCore
import VRModel
import VRRecords
import VRTasks
import VRWire
import VRWorker

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

    /// The records of the pools sampled so far, by source and seed.
    func records() -> [PoolRun] {
        let folder = directory + "/pools"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".run.json")
        }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder + "/" + name).flatMap {
                try? JSONDecoder().decode(PoolRun.self, from: $0)
            }
        }
    }

    /// Samples the pool unless it exists.
    /// - Parameters:
    ///   - source: who samples it.
    ///   - traces: K, traces per question.
    ///   - seed: the seed (workers sample with seed times 1000 plus their number).
    ///   - tasks: the file of the questions (the offline split).
    ///   - questions: its questions, read.
    ///   - reasoning: pi0, which scores the traces and samples the answers.
    ///   - posterior: the model served as q: the hinted q, or pi0 for its own pool.
    /// - Returns: the pool's questions, read back and checked.
    /// - Throws: `RunError` when `vr build-data` cannot start or fails, `WorkerError` for a pool that does not
    ///   match the questions.
    func sample(
        _ source: PoolSource, traces: Int, seed: UInt64, tasks: String, questions: TaskDataset, reasoning: String,
        posterior: String
    ) throws -> [PooledQuestion] {
        let pool = path(source, seed: seed)
        let questionIDs = questions.items.map(\.id)
        if FileManager.default.fileExists(atPath: pool) {
            progress("== trace pool \(source.name), seed \(seed): using \(pool)")
            return try TracePool.read(from: pool, questionIDs: questionIDs, traceCount: traces)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory + "/pools", withIntermediateDirectories: true)
        } catch {
            throw RunError.io("cannot create \(directory)/pools: \(error.localizedDescription)")
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
            throw RunError.child("vr build-data exited with status \(process.terminationStatus)", log: String(log))
        }
        let pooled = try TracePool.read(from: pool, questionIDs: questionIDs, traceCount: traces)
        let record = PoolRun(
            source: source.name, seed: seed, questions: pooled.count, traces: traces,
            sampledTokens: pooled.reduce(0) { $0 + $1.traces.reduce(0) { $0 + $1.sampledTokens } },
            wallSeconds: (clock.now - start).inSeconds)
        try AtomicFile.write(Array(try JSONEncoder().encode(record)), to: stem + ".run.json")
        progress(
            "trace pool \(source.name), seed \(seed): \(record.sampledTokens) tokens sampled in "
                + "\(Int(record.wallSeconds))s")
        return pooled
    }
}
