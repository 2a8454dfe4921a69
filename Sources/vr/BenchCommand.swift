// `vr bench`: sgemm peak, training/sampling throughput, and parameter-broadcast throughput against raw libzmq.

import ArgumentParser
import Foundation
import Logging
import VRBench
import VRCore
import VRModel
import VRTensor
import VRText
import VRZMQ

/// Measures this machine's throughput for the reference configurations and the parameter broadcast.
struct BenchCommand: ParsableCommand {
    /// The groups of measurements `--suite` selects.
    enum Suite: String, CaseIterable, ExpressibleByArgument {
        case compute, broadcast, learner, all
    }

    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure sgemm peak, training/sampling throughput and parameter-broadcast throughput.",
        discussion: """
            --suite compute (the default) measures sgemm and the S/M training and sampling throughput, and the \
            memory bound on sampling: the tokens/s that reading only the weights and key/value caches every \
            decoding step needs, at the streaming rate measured over the sampling working set, would allow. \
            --suite broadcast publishes a float32 parameter snapshot in chunk frames over loopback TCP to 1, 2 and \
            4 subscribers, through the project's ZeroMQ transport and through raw libzmq calls, and reports MB/s \
            (10^6 bytes of snapshot per second, until the last subscriber has all of it) and the ratio \
            transport/raw; every received byte is checked. --suite learner times the learner's posterior- and \
            model-phase steps on seeded synthetic batches (--model, or the built-in M; --questions of 4 traces of \
            128 tokens per step) and the time its ranks spend summing gradients: run it under `mpirun -n N` to \
            split the steps over N ranks. --suite all runs compute and broadcast.
            """)

    @Option(help: "Which measurements to run: compute, broadcast, learner, or all (compute and broadcast).")
    var suite: Suite = .compute

    @Option(help: "Comma-separated reference configurations for the compute suite: S, M.")
    var configs: String = "S,M"

    @Option(
        help: ArgumentHelp(
            "Measure this model instead of S and M: a checkpoint, Hugging Face directory or .gguf file.",
            valueName: "path"))
    var model: String?

    @Option(help: "Comma-separated sampling batch sizes for --model.")
    var batches: String = "1,32"

    @Option(help: "Timed runs per measurement (the best is kept).")
    var repeats: Int = 3

    @Option(help: "Optimizer steps per timed training run.")
    var steps: Int = 5

    @Option(help: "Learner suite: questions per step, of 4 traces each.")
    var questions: Int = 8

    @Option(help: "Learner suite: the learner's most tokens of one forward and backward pass (default: the learner's).")
    var maxTokensPerPass: Int?

    @Option(help: "Learner suite: where rank 0 writes pi's and q's parameters after the last step (raw float32).")
    var saveParameters: String?

    @Option(help: "Comma-separated subscriber counts for the broadcast suite.")
    var subscribers: String = "1,2,4"

    @Option(help: "Parameter snapshot size for the broadcast suite, in MiB.")
    var payloadMib: Int = 64

    @Option(help: "Chunk frame size for the broadcast suite, in KiB.")
    var chunkKib: Int = 1024

    @Flag(help: "Print one JSON object per line: a BenchmarkResult per configuration, a BroadcastResult per count.")
    var json = false

    func validate() throws {
        guard repeats >= 1 else {
            throw ValidationError("--repeats must be at least 1, got \(repeats)")
        }
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
        guard questions >= 1 else { throw ValidationError("--questions must be at least 1, got \(questions)") }
        if let maxTokensPerPass, maxTokensPerPass < 1 {
            throw ValidationError("--max-tokens-per-pass must be at least 1, got \(maxTokensPerPass)")
        }
        _ = try references()
        _ = try subscriberCounts()
        guard (1...16_384).contains(payloadMib) else {
            throw ValidationError("--payload-mib must be in 1...16384, got \(payloadMib)")
        }
        guard (1...65_536).contains(chunkKib) else {
            throw ValidationError("--chunk-kib must be in 1...65536 (at most 64 MiB frames), got \(chunkKib)")
        }
    }

    func run() throws {
        if suite == .learner { return try runLearner() }
        if !json {
            print(
                "\(MachineDescription.current.summary), threads \(ComputePool.shared.threadCount), "
                    + "libzmq \(ZeroMQLibrary.versionString)")
        }
        if suite != .broadcast { try runCompute() }
        if suite != .compute { try runBroadcast() }
    }

    // MARK: - Compute suite

    private func runCompute() throws {
        let benchmarks = Benchmarks(repeats: repeats, trainingSteps: steps)
        let peak = benchmarks.sgemmPeak()
        if !json { print("sgemm peak \(decimal(peak, 1)) GFLOP/s (1024^3)") }
        for reference in try references() {
            let result = try benchmarks.measure(reference, sgemmPeakGFLOPS: peak)
            if json {
                try Self.printJSON(result)
            } else {
                let model = reference.model
                print(
                    "\(reference.name) (\(model.family) L\(model.layerCount) C\(model.width) H\(model.headCount) "
                        + "G\(model.keyValueHeadCount) V\(model.vocabularySize); train \(reference.trainingBatch)x"
                        + "\(reference.trainingTime), sample \(reference.samplingBatch)x(\(reference.promptLength)+"
                        + "\(reference.newTokens))): train \(decimal(result.trainingTokensPerSecond, 0)) tok/s "
                        + "\(decimal(result.trainingGFLOPS, 1)) GFLOP/s "
                        + "(\(decimal(100 * result.trainingGFLOPS / peak, 0))% of sgemm), "
                        + "sample \(decimal(result.samplingTokensPerSecond, 0)) tok/s "
                        + "\(decimal(result.samplingGFLOPS, 1)) GFLOP/s (\(decimal(100 * result.samplingGFLOPS / peak, 0))%), "
                        + "sampling memory bound \(decimal(result.samplingMemoryBoundTokensPerSecond, 0)) tok/s "
                        + "(streaming \(decimal(result.samplingStreamingGBPerSecond, 1)) GB/s), "
                        + "peak RSS \(decimal(result.peakResidentMebibytes, 0)) MiB"
                )
            }
            fflush(nil)  // nil flushes every stream: progress shows up promptly through pipes too
        }
    }

    // MARK: - Learner suite

    private func runLearner() throws {
        let ranks = try LearnerRanks.start()
        var bench = LearnerBench(
            modelPath: model, rounds: steps, questionsPerStep: questions, parametersPath: saveParameters)
        if let maxTokensPerPass { bench.maxTokensPerPass = maxTokensPerPass }
        let result: LearnerBench.Result?
        do { result = try bench.run(ranks: ranks) } catch { try ranks.fail(error, logger: Logger(label: "vr.bench")) }
        ranks.finish()
        guard let result else { return }
        if json { return try Self.printJSON(result) }
        let share = result.modelAllreduceSeconds / result.modelStepSeconds
        print(
            "\(result.machine); \(result.model), \(result.parameterCount) parameters; \(result.questionsPerStep) "
                + "questions per step in passes of at most \(result.maxTokensPerPass) tokens; \(result.ranks) rank(s) of \(result.threadsPerRank) thread(s): model step \(decimal(result.modelStepSeconds, 3)) s "
                + "(\(decimal(result.modelTokensPerSecond, 0)) tok/s), allreduce \(decimal(result.modelAllreduceSeconds, 3)) s "
                + "(\(decimal(100 * share, 1))% of the step), waiting for the slowest rank "
                + "\(decimal(result.modelRankWaitSeconds, 3)) s; posterior step \(decimal(result.posteriorStepSeconds, 3)) s "
                + "(allreduce \(decimal(result.posteriorAllreduceSeconds, 3)) s); gradient "
                + "\(decimal(Double(result.gradientBytes) / 1_048_576, 1)) MiB, "
                + "\(decimal(Double(result.ringBytesPerRank) / 1_048_576, 1)) MiB sent per rank and allreduce by a ring; "
                + "rank 0's peak RSS \(decimal(result.peakResidentMebibytes, 0)) MiB"
        )
    }

    // MARK: - Broadcast suite

    private func runBroadcast() throws {
        let benchmark = broadcastBenchmark()
        if !json {
            print(
                "broadcast \(payloadMib) MiB float32 snapshot in \(chunkKib) KiB chunks over loopback TCP; fastest and "
                    + "median of \(repeats) runs per path; MB/s = 10^6 bytes of snapshot per second, until the last "
                    + "subscriber has all of it")
            fflush(nil)
        }
        let json = json
        _ = try benchmark.measureBlocking(subscriberCounts: try subscriberCounts()) { result in
            if json {
                try? Self.printJSON(result)
            } else {
                let plural = result.subscriberCount == 1 ? "" : "s"
                print(
                    "\(result.subscriberCount) subscriber\(plural): transport "
                        + "\(decimal(result.transportMegabytesPerSecond, 0)) MB/s, raw libzmq "
                        + "\(decimal(result.rawMegabytesPerSecond, 0)) MB/s, transport/raw "
                        + "\(decimal(result.transportToRawRatio, 2)); median runs "
                        + "\(decimal(result.medianTransportMegabytesPerSecond, 0)) vs "
                        + "\(decimal(result.medianRawMegabytesPerSecond, 0)) MB/s, ratio "
                        + "\(decimal(result.medianTransportToRawRatio, 2)); \(result.verifiedBytes >> 20) MiB checked"
                )
            }
            fflush(nil)
        }
    }

    private func broadcastBenchmark() -> BroadcastBenchmark {
        BroadcastBenchmark(payloadByteCount: payloadMib << 20, chunkByteCount: chunkKib << 10, repeats: repeats)
    }

    /// The counts named by `--subscribers`.
    private func subscriberCounts() throws -> [Int] {
        try subscribers.split(separator: ",").map { text in
            guard let count = Int(text.trimmingCharacters(in: .whitespaces)), (1...64).contains(count) else {
                throw ValidationError("--subscribers lists counts in 1...64, got \"\(text)\"")
            }
            return count
        }
    }

    // MARK: - Helpers

    /// The configurations named by `--configs`.
    private func references() throws -> [ReferenceConfiguration] {
        if let model {
            let configuration = try Checkpoint.read(from: model).configuration
            let name = URL(fileURLWithPath: model).lastPathComponent
            return try batches.split(separator: ",").map { text in
                guard let batch = Int(text.trimmingCharacters(in: .whitespaces)), (1...256).contains(batch) else {
                    throw ValidationError("--batches lists sizes in 1...256, got \"\(text)\"")
                }
                return .pretrained(
                    name: "\(name) b\(batch)", model: configuration, checkpointPath: model, samplingBatch: batch)
            }
        }
        let vocabularySize = ByteTokenizer.vocabularySize
        return try configs.split(separator: ",").map { name in
            switch name.trimmingCharacters(in: .whitespaces).uppercased() {
            case "S": return .small(vocabularySize: vocabularySize)
            case "M": return .medium(vocabularySize: vocabularySize)
            default: throw ValidationError("--configs lists S and/or M, got \"\(name)\"")
            }
        }
    }

    /// One JSON object on one line, keys sorted.
    private static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

}
