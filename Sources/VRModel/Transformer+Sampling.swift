// Batched autoregressive generation with a KV cache: every sequence advances one position per step.

import VRCore
import VRTensor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Transformer {
    /// Generates a continuation of each prompt.
    ///
    /// Every prompt but its last token enters the caches through batched forward passes, one pass per prompt
    /// length, each distinct prompt once however many sequences start from it. Then every sequence advances one
    /// token per step from its own position, in batches that the compute threads take turns at (`DecodeScheduler`).
    /// Finished sequences leave the batches, so the cost follows the live sequences.
    /// - Parameters:
    ///   - prompts: non-empty token sequences, each shorter than or equal to the context length.
    ///   - options: temperature, top-p, length, stop sequences and seed.
    /// - Returns: one continuation per prompt, with the untempered log-probability of each token.
    /// - Throws: `ModelError.invalidInput` for bad prompts or options.
    public func sample(prompts: [[Int32]], options: SamplingOptions) throws(ModelError) -> [SampledSequence] {
        try options.validate(vocabularySize: configuration.vocabularySize)
        guard !prompts.isEmpty else { throw .invalidInput("no prompts to sample from") }
        _ = try TokenBatch(prompts, configuration: configuration)
        var runs = prompts.enumerated().map { index, prompt in
            GenerationRun(prompt: prompt, generator: SeededGenerator(seed: options.seed).split(UInt64(index)))
        }
        for index in runs.indices {
            runs[index].finishIfFull(options: options, contextLength: configuration.contextLength)
        }
        let capacity = min(configuration.contextLength, prompts.map { $0.count + options.maxNewTokens }.max() ?? 1)
        let threadCount = ComputePool.shared.threadCount
        let rowsPerThread = (prompts.count + threadCount - 1) / threadCount
        let state = DecodeState(
            model: self, slotCount: prompts.count, rowCount: threadCount * rowsPerThread, capacity: capacity)
        let chooser = TokenChooser(
            temperature: options.temperature, topP: options.topP, vocabularySize: configuration.vocabularySize)
        try prefill(prompts, state: state)
        let step = DecodingStep(options: options, chooser: chooser, state: state)
        runs.withUnsafeMutableBufferPointer { runs in
            // Sequences are independent, so each compute thread advances a batch of its own and never waits for
            // another's kernels; the scheduler keeps the batches even as sequences finish.
            let scheduler = DecodeScheduler(
                sequences: runs.indices.filter { runs[$0].finishReason == nil }, threadCount: threadCount,
                minimumPerThread: Self.sequencesPerThread)
            ComputePool.shared.forEachRange(threadCount) { threads in
                for thread in threads {
                    decodeShared(runs, scheduler: scheduler, firstRow: thread * rowsPerThread, step: step)
                }
            }
            // Too few are left to share: they advance together, every kernel split across the threads.
            var live = runs.indices.filter { runs[$0].finishReason == nil }
            while !live.isEmpty {
                advance(runs, live, firstRow: 0, step: step)
                live.removeAll { runs[$0].finishReason != nil }
            }
        }
        return runs.map {
            SampledSequence(
                tokens: $0.generated, logProbs: $0.logProbs, finishReason: $0.finishReason ?? .contextLength)
        }
    }

    /// Below twice this many live sequences, decoding stops sharing them between threads and splits every kernel
    /// instead.
    static let sequencesPerThread = 4

    /// Rows of one prefill pass at most: enough for the kernels to run at full speed, few enough that the pass's
    /// activations (about 1.4 MB per row for SmolLM2-135M) stay small beside the caches.
    static let prefillRowsPerPass = 512

    /// Advances the batches that `scheduler` hands this thread until it says stop.
    /// - Parameters:
    ///   - runs: every sequence of the call; this thread touches only those in its batch.
    ///   - scheduler: shares the live sequences between the threads.
    ///   - firstRow: the first of this thread's rows in the step buffers.
    ///   - step: what every step needs.
    private func decodeShared(
        _ runs: UnsafeMutableBufferPointer<GenerationRun>, scheduler: DecodeScheduler, firstRow: Int,
        step: DecodingStep
    ) {
        var batch: [Int] = []
        while true {
            let unfinished = batch.filter { runs[$0].finishReason == nil }
            switch scheduler.exchange(finishedCount: batch.count - unfinished.count, unfinished: unfinished) {
            case .done:
                return
            case .wait:
                batch = []
                sched_yield()
            case .batch(let next):
                batch = next
                advance(runs, batch, firstRow: firstRow, step: step)
            }
        }
    }

    /// Feeds each run of `indices` its last token at its own position, then samples and appends the next one.
    /// - Parameters:
    ///   - runs: every sequence of the call; run `i` lives in cache slot `i`.
    ///   - indices: the live runs to advance.
    ///   - firstRow: the first of the step-buffer rows to use.
    ///   - step: what every step needs.
    private func advance(
        _ runs: UnsafeMutableBufferPointer<GenerationRun>, _ indices: [Int], firstRow: Int, step: DecodingStep
    ) {
        let logits = decodeStep(
            tokens: TokenBuffer(indices.map { runs[$0].lastToken }), slots: TokenBuffer(indices.map { Int32($0) }),
            firstRow: firstRow, positions: TokenBuffer(indices.map { Int32(runs[$0].lastPosition) }),
            state: step.state)
        let choices = choose(rows: indices.map { runs[$0].drawUniform() }, logits: logits, chooser: step.chooser)
        for (row, index) in indices.enumerated() {
            runs[index].append(choices[row].token, logProb: choices[row].logProb)
            runs[index].finishIfFull(options: step.options, contextLength: configuration.contextLength)
        }
    }

    /// Fills the caches of positions `0..<count - 1` of every prompt (all but its last token) from batched
    /// forward passes over the distinct prompts of one length, each written into the slots of every sequence that
    /// starts from it.
    ///
    /// A pass takes at most `prefillRowsPerPass` rows (a longer prompt is a pass of its own), and its activations
    /// live in a workspace of this call alone, so sampling holds no more than one pass's activations beside the
    /// caches, and none after it returns.
    private func prefill(_ prompts: [[Int32]], state: DecodeState) throws(ModelError) {
        var slotsOfPrefix: [[Int32]: [Int]] = [:]
        for (slot, prompt) in prompts.enumerated() where prompt.count > 1 {
            slotsOfPrefix[Array(prompt.dropLast()), default: []].append(slot)
        }
        let prefixesByLength = Dictionary(grouping: slotsOfPrefix.keys, by: \.count)
        // Sorted, so the passes, and with them the floating-point results, do not depend on hashing.
        let passes = prefixesByLength.keys.sorted().flatMap { length in
            let prefixes = prefixesByLength[length, default: []].sorted { $0.lexicographicallyPrecedes($1) }
            let perPass = max(1, Self.prefillRowsPerPass / length)
            return stride(from: 0, to: prefixes.count, by: perPass).map {
                Array(prefixes[$0..<min($0 + perPass, prefixes.count)])
            }
        }
        let shapes = passes.map { (count: $0.count, length: $0[0].count) }
        guard let rowCapacity = shapes.map({ $0.count * $0.length }).max() else { return }
        let workspace = ActivationWorkspace(
            configuration: configuration, rowCapacity: rowCapacity,
            probabilityCapacity: shapes.map { $0.count * configuration.headCount * $0.length * $0.length }.max() ?? 0)
        for prefixes in passes {
            let length = prefixes[0].count
            let batch = try TokenBatch(prefixes, configuration: configuration)
            runBody(batch, workspace)
            for (layer, saved) in workspace.blocks.enumerated() {
                for (index, prefix) in prefixes.enumerated() {
                    for slot in slotsOfPrefix[prefix, default: []] {
                        CachedAttention.prefill(
                            qkv: saved.qkv.pointer + index * length * configuration.queryKeyValueWidth,
                            rowCount: length,
                            slot: slot, keys: state.keys[layer].pointer, values: state.values[layer].pointer,
                            geometry: state.geometry)
                    }
                }
            }
        }
    }

    /// Picks a token for every row, in parallel, with its untempered log-probability.
    private func choose(
        rows uniforms: [Float], logits: UnsafePointer<Float>, chooser: TokenChooser
    )
        -> [(token: Int32, logProb: Float)]
    {
        let v = configuration.vocabularySize
        let tokens = TokenBuffer([Int32](repeating: -1, count: uniforms.count))
        let logProbs = FloatBuffer(count: uniforms.count)
        ComputePool.shared.forEachRange(uniforms.count, minimumPerSlice: 8) { rows in
            let scratch = FloatBuffer(count: v)
            for row in rows {
                let rowLogits = logits + row * v
                let token = chooser.choose(logits: rowLogits, uniform: uniforms[row], scratch: scratch.pointer)
                tokens.pointer[row] = token
                logProbs.pointer[row] = rowLogits[Int(token)] - VectorMath.logSumExp(rowLogits, count: v)
            }
        }
        return uniforms.indices.map { row in (tokens.pointer[row], logProbs.pointer[row]) }
    }
}

/// What every decoding step of one `sample` call uses.
private struct DecodingStep {
    let options: SamplingOptions
    let chooser: TokenChooser
    let state: DecodeState
}

/// The growing state of one sequence during `sample`.
private struct GenerationRun {
    var tokens: [Int32]
    var generated: [Int32] = []
    var logProbs: [Float] = []
    var finishReason: FinishReason?
    var generator: SeededGenerator

    init(prompt: [Int32], generator: SeededGenerator) {
        tokens = prompt
        self.generator = generator
    }

    /// The token the model reads next: the prompt's last, then the last one sampled.
    var lastToken: Int32 { tokens[tokens.count - 1] }

    /// The position of `lastToken`.
    var lastPosition: Int { tokens.count - 1 }

    mutating func drawUniform() -> Float { generator.nextUniform() }

    mutating func append(_ token: Int32, logProb: Float) {
        tokens.append(token)
        generated.append(token)
        logProbs.append(logProb)
    }

    /// Ends the run when a stop sequence closes it, the budget is spent or the context is full.
    mutating func finishIfFull(options: SamplingOptions, contextLength: Int) {
        if let stop = options.stopSequences.firstIndex(where: {
            generated.count >= $0.count && generated.suffix($0.count).elementsEqual($0)
        }) {
            finishReason = .stopSequence(index: stop)
        } else if generated.count >= options.maxNewTokens {
            finishReason = .maxNewTokens
        } else if tokens.count >= contextLength {
            finishReason = .contextLength
        }
    }
}
