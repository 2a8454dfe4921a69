// The full-sequence forward pass: embeddings, blocks, final LayerNorm, tied logits, target log-probs.
//
// Legend: B batch, T time, N = B * T rows, C channels, V vocabulary.

import VRTensor

extension Transformer {
    /// Runs the model over `sequences` and returns the log-probability of each next token.
    ///
    /// The activations are kept, so `backward(targetWeights:normalizer:)` can follow for the same batch.
    /// - Parameter sequences: token ids, each non-empty and at most `contextLength` long.
    /// - Returns: for each sequence of length n, n - 1 values: log p(token[t+1] | tokens[...t]), temperature 1.
    /// - Throws: `ModelError.invalidInput` for an empty batch, an over-long sequence or an unknown id.
    public func forward(_ sequences: [[Int32]]) throws(ModelError) -> [[Float]] {
        let batch = try TokenBatch(sequences, configuration: configuration)
        let workspace = workspace(for: batch)
        runForward(batch, workspace)
        SoftmaxCrossEntropy.logProbabilities(
            logits: workspace.logits.pointer, targets: batch.targets.pointer, logProbs: workspace.logProbs.pointer,
            rowCount: batch.rowCount, vocabularySize: configuration.vocabularySize)
        pendingBatch = batch
        return batch.perSequence(workspace.logProbs.pointer)
    }

    /// Per-token log-probabilities of `sequences` by teacher forcing at temperature 1.
    ///
    /// Large inputs are processed in chunks of about `maxTokensPerChunk` padded tokens to bound memory.
    /// - Parameters:
    ///   - sequences: token ids, each non-empty and at most `contextLength` long.
    ///   - maxTokensPerChunk: the padded token budget of one forward pass.
    /// - Returns: for each sequence of length n, the n - 1 next-token log-probabilities.
    /// - Throws: `ModelError.invalidInput` as `forward` does.
    public func score(_ sequences: [[Int32]], maxTokensPerChunk: Int = 16_384) throws(ModelError) -> [[Float]] {
        var results: [[Float]] = []
        var start = 0
        while start < sequences.count {
            var end = start + 1
            var longest = sequences[start].count
            while end < sequences.count, max(longest, sequences[end].count) * (end - start + 1) <= maxTokensPerChunk {
                longest = max(longest, sequences[end].count)
                end += 1
            }
            results += try forward(Array(sequences[start..<end]))
            start = end
        }
        pendingBatch = nil
        return results
    }

    /// The logits `[N, V]` of the last forward pass, row `b * T + t` for position `t` of sequence `b`.
    var lastLogits: UnsafePointer<Float>? {
        workspace.map { UnsafePointer($0.logits.pointer) }
    }

    func runForward(_ batch: TokenBatch, _ workspace: ActivationWorkspace) {
        let (n, c, v) = (batch.rowCount, configuration.width, configuration.vocabularySize)
        let weights = UnsafePointer(parameters.pointer)
        let attentionShape = CausalAttention.Shape(
            batch: batch.sequenceCount, time: batch.time, channels: c, heads: configuration.headCount)
        // 1. embeddings
        Embedding.forward(
            tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            tokenTable: weights + layout.tokenEmbedding,
            positionTable: weights + layout.positionEmbedding, out: workspace.residuals[0].pointer, rowCount: n,
            channels: c)
        // 2. blocks
        for (index, block) in layout.blocks.enumerated() {
            let saved = workspace.blocks[index]
            let input = workspace.residuals[index].pointer
            LayerNorm.forward(
                input: input, weight: weights + block.ln1Weight, bias: weights + block.ln1Bias, out: saved.ln1.pointer,
                mean: saved.ln1Mean.pointer, rstd: saved.ln1Rstd.pointer, rowCount: n, channels: c)
            Linear.forward(
                input: saved.ln1.pointer, weight: weights + block.qkvWeight, bias: weights + block.qkvBias,
                out: saved.qkv.pointer, rowCount: n, inputCount: c, outputCount: 3 * c)
            CausalAttention.forward(
                qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer, out: saved.attention.pointer,
                shape: attentionShape)
            Linear.forward(
                input: saved.attention.pointer, weight: weights + block.projWeight, bias: weights + block.projBias,
                out: saved.residualMid.pointer, rowCount: n, inputCount: c, outputCount: c)
            VectorMath.add(saved.residualMid.pointer, input, into: saved.residualMid.pointer, count: n * c)
            LayerNorm.forward(
                input: saved.residualMid.pointer, weight: weights + block.ln2Weight, bias: weights + block.ln2Bias,
                out: saved.ln2.pointer, mean: saved.ln2Mean.pointer, rstd: saved.ln2Rstd.pointer, rowCount: n,
                channels: c)
            Linear.forward(
                input: saved.ln2.pointer, weight: weights + block.fcWeight, bias: weights + block.fcBias,
                out: saved.hidden.pointer, rowCount: n, inputCount: c, outputCount: 4 * c)
            GELU.forward(input: saved.hidden.pointer, out: saved.activated.pointer, count: n * 4 * c)
            let output = workspace.residuals[index + 1].pointer
            Linear.forward(
                input: saved.activated.pointer, weight: weights + block.fcProjWeight,
                bias: weights + block.fcProjBias, out: output, rowCount: n, inputCount: 4 * c, outputCount: c)
            VectorMath.add(output, saved.residualMid.pointer, into: output, count: n * c)
        }
        // 3. final LayerNorm and logits tied to the token embedding
        LayerNorm.forward(
            input: workspace.residuals[layout.blocks.count].pointer, weight: weights + layout.finalNormWeight,
            bias: weights + layout.finalNormBias, out: workspace.lnFinal.pointer, mean: workspace.lnFinalMean.pointer,
            rstd: workspace.lnFinalRstd.pointer, rowCount: n, channels: c)
        Gemm.multiply(
            m: n, n: v, k: c, a: MatrixOperand(workspace.lnFinal.pointer, leadingDimension: c),
            b: MatrixOperand(weights + layout.tokenEmbedding, leadingDimension: c, transposed: true),
            c: workspace.logits.pointer, ldc: v)
    }
}
