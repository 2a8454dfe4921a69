// Batched autoregressive generation with a KV cache: every sequence advances one position per step.

import VRTensor

extension Transformer {
    /// Generates a continuation of each prompt.
    ///
    /// Every sequence advances one position per step from position 0: while it is still inside its prompt, its
    /// next token is the prompt's (teacher forcing fills the cache); afterwards it is sampled. Finished
    /// sequences leave the batch, so the cost follows the live sequences.
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
        // Positions that every prompt covers go through one batched forward pass instead of decoding steps.
        let prefillLength = (prompts.map(\.count).min() ?? 1) - 1
        if prefillLength > 0 { try prefill(prompts.map { Array($0.prefix(prefillLength)) }, state: state) }
        // Sequences are independent, so each compute thread generates its own share of them from start to end
        // and the threads never wait for each other; a batch too small to share splits every kernel instead.
        runs.withUnsafeMutableBufferPointer { runs in
            ComputePool.shared.forEachRange(runs.count, minimumPerSlice: Self.sequencesPerThread) { share in
                generate(
                    UnsafeMutableBufferPointer(rebasing: runs[share]), firstSlot: share.lowerBound,
                    positions: prefillLength..<capacity, options: options, chooser: chooser, state: state)
            }
        }
        return runs.map {
            SampledSequence(
                tokens: $0.generated, logProbs: $0.logProbs, finishReason: $0.finishReason ?? .contextLength)
        }
    }

    /// Batches with fewer than twice this many sequences decode together, each kernel split across the threads.
    static let sequencesPerThread = 4

    /// Advances `runs` (cache slots `firstSlot...`) one position at a time until all have finished or
    /// `positions` is exhausted.
    private func generate(
        _ runs: UnsafeMutableBufferPointer<GenerationRun>, firstSlot: Int, positions: Range<Int>,
        options: SamplingOptions, chooser: TokenChooser, state: DecodeState
    ) {
        for position in positions {
            let live = runs.indices.filter { runs[$0].finishReason == nil }
            if live.isEmpty { break }
            let logits = decodeStep(
                tokens: TokenBuffer(live.map { runs[$0].tokens[position] }),
                slots: TokenBuffer(live.map { Int32(firstSlot + $0) }), firstRow: firstSlot, position: position,
                state: state)
            let choices = choose(
                rows: live.map { runs[$0].isInPrompt(after: position) ? nil : runs[$0].drawUniform() },
                logits: logits, chooser: chooser)
            for (row, index) in live.enumerated() {
                if let choice = choices[row] {
                    runs[index].append(choice.token, logProb: choice.logProb)
                    runs[index].finishIfFull(options: options, contextLength: configuration.contextLength)
                }
            }
        }
    }

    /// Fills the caches of positions `0..<T` of every sequence from a full forward pass over `prefixes`
    /// (all of length T).
    private func prefill(_ prefixes: [[Int32]], state: DecodeState) throws(ModelError) {
        let batch = try TokenBatch(prefixes, configuration: configuration)
        let workspace = workspace(for: batch)
        runForward(batch, workspace)
        for (layer, saved) in workspace.blocks.enumerated() {
            for sequence in 0..<batch.sequenceCount {
                CachedAttention.prefill(
                    qkv: saved.qkv.pointer + sequence * batch.time * 3 * configuration.width, rowCount: batch.time,
                    slot: sequence, keys: state.keys[layer].pointer, values: state.values[layer].pointer,
                    geometry: state.geometry)
            }
        }
    }

    /// Picks a token for every row that has a uniform draw, in parallel, with its untempered log-probability.
    private func choose(
        rows uniforms: [Float?], logits: UnsafePointer<Float>, chooser: TokenChooser
    )
        -> [(token: Int32, logProb: Float)?]
    {
        let v = configuration.vocabularySize
        let tokens = TokenBuffer([Int32](repeating: -1, count: uniforms.count))
        let logProbs = FloatBuffer(count: uniforms.count)
        ComputePool.shared.forEachRange(uniforms.count, minimumPerSlice: 8) { rows in
            let scratch = FloatBuffer(count: v)
            for row in rows {
                guard let uniform = uniforms[row] else { continue }
                let rowLogits = logits + row * v
                let token = chooser.choose(logits: rowLogits, uniform: uniform, scratch: scratch.pointer)
                tokens.pointer[row] = token
                logProbs.pointer[row] = rowLogits[Int(token)] - VectorMath.logSumExp(rowLogits, count: v)
            }
        }
        return uniforms.indices.map { row in
            uniforms[row] == nil ? nil : (tokens.pointer[row], logProbs.pointer[row])
        }
    }
}

/// The growing state of one sequence during `sample`.
private struct GenerationRun {
    let promptLength: Int
    var tokens: [Int32]
    var generated: [Int32] = []
    var logProbs: [Float] = []
    var finishReason: FinishReason?
    var generator: SeededGenerator

    init(prompt: [Int32], generator: SeededGenerator) {
        promptLength = prompt.count
        tokens = prompt
        self.generator = generator
    }

    /// Whether the token after `position` is still part of the prompt.
    func isInPrompt(after position: Int) -> Bool { position + 1 < promptLength }

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
