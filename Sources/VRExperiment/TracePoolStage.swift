// Sampling an experiment's trace pools: `vr build-data` as a child process, once per part of a pool, skipped when
// the run directory holds the pool already (it is written atomically, so a pool file is complete), with a record of
// what it cost beside it. A part's traces are kept as soon as it finishes, so an interrupted pool continues at the
// part it stopped in.

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
    /// Called when a part or the pool finishes, so that its traces are kept with the experiment's records at once.
    var keepRecords: @Sendable () throws -> Void = {}

    /// The file of pool `source` for `seed`.
    func path(_ source: PoolSource, seed: UInt64) -> String {
        directory + "/pools/\(source.name)-seed-\(seed).jsonl"
    }

    /// Questions a part of a pool holds at most.
    static let questionsPerPart = 100

    /// The records of the pools sampled so far, by source and seed (not those of their parts).
    func records() -> [PoolRun] {
        let folder = directory + "/pools"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".run.json") && !$0.contains(".part-")
        }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder + "/" + name).flatMap {
                try? JSONDecoder().decode(PoolRun.self, from: $0)
            }
        }
    }

    /// Samples the pool unless it exists, part by part, keeping each finished part.
    /// - Parameters:
    ///   - source: who samples it.
    ///   - traces: K, traces per question.
    ///   - seed: the seed (the workers of part p sample with seed times 1000, plus 10 (p - 1), plus their number).
    ///   - questions: the questions (the offline split).
    ///   - reasoning: pi0, which scores the traces and samples the answers.
    ///   - posterior: the model served as q: the hinted q, or pi0 for its own pool.
    /// - Returns: the pool's questions, read back and checked.
    /// - Throws: `RunError` when `vr build-data` cannot start or fails, `WorkerError` for a pool that does not
    ///   match the questions.
    func sample(
        _ source: PoolSource, traces: Int, seed: UInt64, questions: TaskDataset, reasoning: String, posterior: String
    ) throws -> [PooledQuestion] {
        let pool = path(source, seed: seed)
        if FileManager.default.fileExists(atPath: pool) {
            progress("== trace pool \(source.name), seed \(seed): using \(pool)")
            return try TracePool.read(from: pool, questionIDs: questions.items.map(\.id), traceCount: traces)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory + "/pools", withIntermediateDirectories: true)
        } catch {
            throw RunError.io("cannot create \(directory)/pools: \(error.localizedDescription)")
        }
        let stem = String(pool.dropLast(".jsonl".count))
        let parts = stride(from: 0, to: questions.items.count, by: Self.questionsPerPart).map {
            Array(questions.items[$0..<min($0 + Self.questionsPerPart, questions.items.count)])
        }
        progress(
            "== trace pool \(source.name), seed \(seed): \(traces) traces per question, in \(parts.count) parts of "
                + "at most \(Self.questionsPerPart) questions (logs \(stem).part-*.log)")
        var pooled: [PooledQuestion] = []
        var wallSeconds = 0.0
        var machines: [String?] = []
        for (index, items) in parts.enumerated() {
            let part = PoolPart(
                stem: "\(stem).part-\(index + 1)",
                title: "trace pool \(source.name), seed \(seed), part \(index + 1) of "
                    + "\(parts.count)", questions: TaskDataset(items: items), seed: seed &* 1_000 &+ UInt64(index) &* 10
            )
            let sampled = try sample(part, source: source, traces: traces, reasoning: reasoning, posterior: posterior)
            try keepRecords()
            pooled += sampled.pooled
            wallSeconds += sampled.record.wallSeconds
            machines.append(sampled.record.machine)
        }
        try TracePool.write(pooled, to: pool)
        let record = PoolRun(
            source: source.name, seed: seed, questions: pooled.count, traces: traces,
            sampledTokens: pooled.reduce(0) { $0 + $1.traces.reduce(0) { $0 + $1.sampledTokens } },
            wallSeconds: wallSeconds, machine: RunMachine.joined(machines))
        try AtomicFile.write(Array(try JSONEncoder().encode(record)), to: stem + ".run.json")
        for part in parts.indices {
            for suffix in [".jsonl", ".run.json", ".tasks.jsonl", ".examples.jsonl"] {
                try? FileManager.default.removeItem(atPath: "\(stem).part-\(part + 1)\(suffix)")
            }
        }
        try keepRecords()
        progress(
            "trace pool \(source.name), seed \(seed): \(record.sampledTokens) tokens sampled in "
                + "\(Int(record.wallSeconds))s")
        return pooled
    }

    /// Samples one part with `vr build-data`, unless an earlier invocation finished it; returns its traces, read
    /// back and checked, and its record.
    private func sample(
        _ part: PoolPart, source: PoolSource, traces: Int, reasoning: String, posterior: String
    ) throws -> (pooled: [PooledQuestion], record: PoolRun) {
        let questionIDs = part.questions.items.map(\.id)
        if let data = FileManager.default.contents(atPath: part.record),
            let record = try? JSONDecoder().decode(PoolRun.self, from: data),
            FileManager.default.fileExists(atPath: part.pool)
        {
            progress("\(part.title): sampled earlier")
            return (try TracePool.read(from: part.pool, questionIDs: questionIDs, traceCount: traces), record)
        }
        try part.questions.write(to: part.tasks)
        let training = configuration.training
        let arguments = [
            "build-data", "--tasks", part.tasks, "--posterior", posterior, "--reasoning", reasoning, "--tokenizer",
            reasoning, "--hint", source.hint.rawValue, "--proposal", source.proposal.rawValue, "--traces", "\(traces)",
            "--pool", part.pool, "--output", part.stem + ".examples.jsonl", "--selection", "weighted", "--workers",
            "\(configuration.workers)", "--seed", "\(part.seed)", "--answers-per-trace",
            "\(training.answersPerTrace)", "--temperature", "\(configuration.offline.traceTemperature)",
            "--max-trace-tokens", "\(training.maxTraceTokens)",
        ]
        let clock = ContinuousClock()
        let start = clock.now
        let process = try launcher.launch(arguments, log: part.log)
        var reported = ""
        while process.isRunning {
            Thread.sleep(forTimeInterval: 1)
            // The collection's progress, a few lines per part.
            let lines = (try? String(contentsOfFile: part.log, encoding: .utf8))?.split(separator: "\n") ?? []
            if let last = lines.last(where: { $0.contains("collected") || $0.contains("scored") }), last != reported {
                reported = String(last)
                progress("\(part.title): \(reported)")
            }
        }
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: part.pool) else {
            throw RunError.child("vr build-data exited with status \(process.terminationStatus)", log: part.log)
        }
        let pooled = try TracePool.read(from: part.pool, questionIDs: questionIDs, traceCount: traces)
        let record = PoolRun(
            source: source.name, seed: part.seed, questions: pooled.count, traces: traces,
            sampledTokens: pooled.reduce(0) { $0 + $1.traces.reduce(0) { $0 + $1.sampledTokens } },
            wallSeconds: (clock.now - start).inSeconds, machine: RunMachine.current)
        try AtomicFile.write(Array(try JSONEncoder().encode(record)), to: part.record)
        return (pooled, record)
    }
}

/// One part of a trace pool: its questions and the files of its `vr build-data` run.
private struct PoolPart {
    /// The path of its files without their suffixes.
    let stem: String
    /// How progress lines name it.
    let title: String
    /// Its questions.
    let questions: TaskDataset
    /// The seed of its `vr build-data` run.
    let seed: UInt64

    /// Its questions, as `vr build-data` reads them.
    var tasks: String { stem + ".tasks.jsonl" }
    /// Its scored traces, written when the run finishes.
    var pool: String { stem + ".jsonl" }
    /// Its cost, written once its traces are read back.
    var record: String { stem + ".run.json" }
    /// Its run's log.
    var log: String { stem + ".log" }
}
