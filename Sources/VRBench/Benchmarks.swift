// The measurements behind `vr bench`: sgemm peak, training throughput and sampling throughput.

import VRCore
import VRModel
import VRTensor
import VRTransport

/// One configuration's results.
public struct BenchmarkResult: Sendable, Codable, Equatable {
    /// The configuration's name.
    public var configuration: String
    /// The processor and kernels measured.
    public var machine: MachineDescription
    /// Kernel threads used.
    public var threads: Int
    /// Training tokens per second (forward + backward + AdamW).
    public var trainingTokensPerSecond: Double
    /// Matrix-product GFLOP/s achieved in training.
    public var trainingGFLOPS: Double
    /// Sampled tokens per second (batch 32, KV cache, prompt prefill included).
    public var samplingTokensPerSecond: Double
    /// Matrix-product GFLOP/s achieved in sampling.
    public var samplingGFLOPS: Double
    /// This machine's measured sgemm rate, GFLOP/s.
    public var sgemmPeakGFLOPS: Double
    /// The rate at which the compute threads stream a buffer as large as sampling's working set (weights and
    /// full key/value caches), GB/s.
    public var samplingStreamingGBPerSecond: Double
    /// The sampling throughput that reading only what decoding cannot avoid (`ByteCount`) at
    /// `samplingStreamingGBPerSecond` would allow, with no time for arithmetic: an upper bound.
    public var samplingMemoryBoundTokensPerSecond: Double
    /// The process's peak resident memory after the measurements, MiB.
    public var peakResidentMebibytes: Double

    /// Creates a result.
    /// - Parameters:
    ///   - configuration: the configuration's name.
    ///   - machine: the processor and kernels measured.
    ///   - threads: kernel threads used.
    ///   - trainingTokensPerSecond: training throughput.
    ///   - trainingGFLOPS: matrix-product rate in training.
    ///   - samplingTokensPerSecond: sampling throughput.
    ///   - samplingGFLOPS: matrix-product rate in sampling.
    ///   - sgemmPeakGFLOPS: the measured sgemm rate.
    ///   - samplingStreamingGBPerSecond: the streaming read rate over sampling's working set.
    ///   - samplingMemoryBoundTokensPerSecond: the memory bound on sampling throughput.
    ///   - peakResidentMebibytes: the process's peak resident memory.
    public init(
        configuration: String, machine: MachineDescription, threads: Int, trainingTokensPerSecond: Double,
        trainingGFLOPS: Double,
        samplingTokensPerSecond: Double, samplingGFLOPS: Double, sgemmPeakGFLOPS: Double,
        samplingStreamingGBPerSecond: Double, samplingMemoryBoundTokensPerSecond: Double, peakResidentMebibytes: Double
    ) {
        self.configuration = configuration
        self.machine = machine
        self.threads = threads
        self.trainingTokensPerSecond = trainingTokensPerSecond
        self.trainingGFLOPS = trainingGFLOPS
        self.samplingTokensPerSecond = samplingTokensPerSecond
        self.samplingGFLOPS = samplingGFLOPS
        self.sgemmPeakGFLOPS = sgemmPeakGFLOPS
        self.samplingStreamingGBPerSecond = samplingStreamingGBPerSecond
        self.samplingMemoryBoundTokensPerSecond = samplingMemoryBoundTokensPerSecond
        self.peakResidentMebibytes = peakResidentMebibytes
    }
}

/// Runs the benchmarks; every measurement is the best of `repeats` timed runs after a warm-up.
public struct Benchmarks: Sendable {
    /// Timed runs per measurement.
    public var repeats: Int
    /// Optimizer steps per timed training run.
    public var trainingSteps: Int

    /// Creates a runner.
    /// - Parameters:
    ///   - repeats: timed runs per measurement (the best is kept).
    ///   - trainingSteps: optimizer steps per timed training run.
    public init(repeats: Int = 3, trainingSteps: Int = 5) {
        self.repeats = repeats
        self.trainingSteps = trainingSteps
    }

    /// The best sgemm rate over square products of `size`, through the same split the model uses.
    /// - Parameter size: the matrix side.
    /// - Returns: GFLOP/s.
    public func sgemmPeak(size: Int = 1024) -> Double {
        let a = FloatBuffer(count: size * size)
        let b = FloatBuffer(count: size * size)
        let c = FloatBuffer(count: size * size)
        var generator = SeededGenerator(seed: 1)
        generator.fillNormal(a.buffer, standardDeviation: 1)
        generator.fillNormal(b.buffer, standardDeviation: 1)
        let seconds = best(of: repeats + 2) {
            for _ in 0..<4 {
                Gemm.multiply(
                    m: size, n: size, k: size, a: MatrixOperand(a.pointer, leadingDimension: size),
                    b: MatrixOperand(b.pointer, leadingDimension: size), c: c.pointer, ldc: size)
            }
        }
        return 4 * 2 * Double(size * size * size) / seconds / 1e9
    }

    /// Training throughput: full-context batches, forward + backward + clipping + AdamW.
    /// - Parameter reference: the configuration.
    /// - Returns: tokens per second and GFLOP/s.
    /// - Throws: `ModelError` if the configuration is invalid.
    public func training(
        _ reference: ReferenceConfiguration
    ) throws(ModelError) -> (tokensPerSecond: Double, gflops: Double) {
        let configuration = reference.model
        let model = try reference.makeModel()
        let optimizer = AdamW(configuration: AdamWConfiguration(), layout: model.layout)
        var generator = SeededGenerator(seed: 2)
        let sequences = (0..<reference.trainingBatch).map { _ in
            (0..<reference.trainingTime).map { _ in Int32(generator.next() % UInt64(configuration.vocabularySize)) }
        }
        let weights = sequences.map { [Float](repeating: 1, count: $0.count - 1) }
        var failure: ModelError?
        func step() {
            do throws(ModelError) {
                model.zeroGradients()
                _ = try model.train(sequences, targetWeights: weights, normalizer: Float(reference.trainingTime))
                GradientClipping.clip(model.gradients, maxNorm: 1)
                optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: 3e-4)
            } catch { failure = error }
        }
        step()
        let seconds = best(of: repeats) { for _ in 0..<trainingSteps { step() } }
        if let failure { throw failure }
        let tokens = Double(trainingSteps * reference.trainingBatch * reference.trainingTime)
        let flops =
            Double(trainingSteps)
            * FlopCount.trainingStep(configuration, batch: reference.trainingBatch, time: reference.trainingTime)
        return (tokens / seconds, flops / seconds / 1e9)
    }

    /// Sampling throughput: the reference's batch of prompts, its new tokens generated at temperature 1 with the KV
    /// cache (no stop sequence, so every sequence generates them all unless the context ends first).
    /// - Parameter reference: the configuration.
    /// - Returns: generated tokens per second and GFLOP/s.
    /// - Throws: `ModelError` if the configuration is invalid.
    public func sampling(
        _ reference: ReferenceConfiguration
    ) throws(ModelError) -> (tokensPerSecond: Double, gflops: Double) {
        let configuration = reference.model
        let model = try reference.makeModel()
        var generator = SeededGenerator(seed: 3)
        let prompts = (0..<reference.samplingBatch).map { _ in
            (0..<reference.promptLength).map { _ in Int32(generator.next() % UInt64(configuration.vocabularySize)) }
        }
        let options = SamplingOptions(temperature: 1, maxNewTokens: reference.newTokens, seed: 4)
        var generated = 0
        var failure: ModelError?
        let seconds = best(of: repeats) {
            do throws(ModelError) {
                generated = try model.sample(prompts: prompts, options: options).reduce(0) { $0 + $1.tokens.count }
            } catch { failure = error }
        }
        if let failure { throw failure }
        let flops = (0..<(reference.promptLength + reference.newTokens - 1)).reduce(0.0) {
            $0 + FlopCount.decodeStep(configuration, rows: prompts.count, position: $1)
        }
        return (Double(generated) / seconds, flops / seconds / 1e9)
    }

    /// Training and sampling measurements of one configuration.
    /// - Parameters:
    ///   - reference: the configuration.
    ///   - sgemmPeakGFLOPS: the machine's sgemm rate from `sgemmPeak()`, recorded with the result.
    /// - Returns: the result.
    /// - Throws: `ModelError` if the configuration is invalid.
    public func measure(
        _ reference: ReferenceConfiguration, sgemmPeakGFLOPS: Double
    ) throws(ModelError)
        -> BenchmarkResult
    {
        let training = try training(reference)
        let sampling = try sampling(reference)
        let memoryBound = samplingMemoryBound(reference)
        return BenchmarkResult(
            configuration: reference.name, machine: .current, threads: ComputePool.shared.threadCount,
            trainingTokensPerSecond: training.tokensPerSecond, trainingGFLOPS: training.gflops,
            samplingTokensPerSecond: sampling.tokensPerSecond, samplingGFLOPS: sampling.gflops,
            sgemmPeakGFLOPS: sgemmPeakGFLOPS, samplingStreamingGBPerSecond: memoryBound.gigabytesPerSecond,
            samplingMemoryBoundTokensPerSecond: memoryBound.tokensPerSecond,
            peakResidentMebibytes: ResidentMemory.peakMebibytes)
    }

    /// The memory roofline of `sampling(_:)`: the streaming rate over its working set, and the tokens per
    /// second that reading only the bytes its decoding steps cannot avoid, at that rate, would allow.
    /// - Parameter reference: the configuration.
    /// - Returns: GB/s and tokens per second.
    public func samplingMemoryBound(
        _ reference: ReferenceConfiguration
    ) -> (gigabytesPerSecond: Double, tokensPerSecond: Double) {
        let configuration = reference.model
        let rows = reference.samplingBatch
        let end = reference.promptLength + reference.newTokens
        let workingSet =
            ByteCount.decodeWeights(configuration) + ByteCount.fullCache(configuration, rows: rows, positions: end)
        let rate = StreamingRead.gigabytesPerSecond(bytes: Int(workingSet), repeats: repeats + 2)
        let positions = (reference.promptLength - 1)..<(end - 1)
        let bytes = positions.reduce(0.0) { $0 + ByteCount.decodeStep(configuration, rows: rows, position: $1) }
        let tokens = Double(rows * reference.newTokens)
        return (rate, tokens / (bytes / (rate * 1e9)))
    }

    /// The shortest wall time of `count` runs of `body`, in seconds.
    private func best(of count: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var fastest = Double.infinity
        for _ in 0..<max(count, 1) {
            let elapsed = clock.measure(body)
            let seconds = elapsed.inSeconds
            fastest = min(fastest, seconds)
        }
        return fastest
    }
}
