// Batched autoregressive generation with a KV cache: every sequence advances one position per step.

import VRTensor

extension Transformer {
    /// Generates a continuation of each prompt.
    ///
    /// Every prompt but its last token enters the caches through batched forward passes, one pass per prompt
    /// length, each distinct prompt once however many sequences start from it. Then every sequence advances one
    /// token per step from its own position. Finished sequences leave the batch, so the cost follows the live
    /// sequences.
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
        let state = DecodeState(model: self, slotCount: prompts.count, capacity: capacity)
        let chooser = TokenChooser(
            temperature: options.temperature, topP: options.topP, vocabularySize: configuration.vocabularySize)
        try prefill(prompts, state: state)
        // Sequences are independent, so each compute thread generates its own share of them from start to end
        // and the threads never wait for each other; a batch too small to share splits every kernel instead.
        runs.withUnsafeMutableBufferPointer { runs in
            ComputePool.shared.forEachRange(runs.count, minimumPerSlice: Self.sequencesPerThread) { share in
                generate(
                    UnsafeMutableBufferPointer(rebasing: runs[share]), firstSlot: share.lowerBound, options: options,
                    chooser: chooser, state: state)
            }
        }
        return runs.map {
            SampledSequence(
                tokens: $0.generated, logProbs: $0.logProbs, finishReason: $0.finishReason ?? .contextLength)
        }
    }

    /// Batches with fewer than twice this many sequences decode together, each kernel split across the threads.
    static let sequencesPerThread = 4

    /// Advances `runs` (cache slots `firstSlot...`) one sampled token at a time until all have finished; each
    /// run's last token is fed at its own position.
    private func generate(
        _ runs: UnsafeMutableBufferPointer<GenerationRun>, firstSlot: Int, options: SamplingOptions,
        chooser: TokenChooser, state: DecodeState
    ) {
        while true {
            let live = runs.indices.filter { runs[$0].finishReason == nil }
            if live.isEmpty { break }
            let logits = decodeStep(
                tokens: TokenBuffer(live.map { runs[$0].lastToken }),
                slots: TokenBuffer(live.map { Int32(firstSlot + $0) }), firstRow: firstSlot,
                positions: TokenBuffer(live.map { Int32(runs[$0].lastPosition) }), state: state)
            let choices = choose(rows: live.map { runs[$0].drawUniform() }, logits: logits, chooser: chooser)
            for (row, index) in live.enumerated() {
                runs[index].append(choices[row].token, logProb: choices[row].logProb)
                runs[index].finishIfFull(options: options, contextLength: configuration.contextLength)
            }
        }
    }

    /// Fills the caches of positions `0..<count - 1` of every prompt (all but its last token) from batched
    /// forward passes: one per prompt length, over the distinct prompts of that length, each written into the
    /// slots of every sequence that starts from it.
    private func prefill(_ prompts: [[Int32]], state: DecodeState) throws(ModelError) {
        var slotsOfPrefix: [[Int32]: [Int]] = [:]
        for (slot, prompt) in prompts.enumerated() where prompt.count > 1 {
            slotsOfPrefix[Array(prompt.dropLast()), default: []].append(slot)
        }
        let prefixesByLength = Dictionary(grouping: slotsOfPrefix.keys, by: \.count)
        // Sorted, so the passes, and with them the floating-point results, do not depend on hashing.
        for length in prefixesByLength.keys.sorted() {
            let prefixes = prefixesByLength[length, default: []].sorted { $0.lexicographicallyPrecedes($1) }
            let batch = try TokenBatch(prefixes, configuration: configuration)
            let workspace = workspace(for: batch)
            runForward(batch, workspace)
            for (layer, saved) in workspace.blocks.enumerated() {
                for (index, prefix) in prefixes.enumerated() {
                    for slot in slotsOfPrefix[prefix, default: []] {
                        CachedAttention.prefill(
                            qkv: saved.qkv.pointer + index * length * 3 * configuration.width, rowCount: length,
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
