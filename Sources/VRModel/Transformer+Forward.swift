// The full-sequence forward pass: the family's body (embeddings, blocks, final norm), then the target
// log-probabilities of the output projection, block by block over the vocabulary.
//
// Legend: B batch, T time, N = B * T rows, C channels, V vocabulary.

import VRTensor

extension Transformer {
    /// Runs the model over `sequences` and returns the log-probability of each next token.
    ///
    /// The activations are kept, so `backward(targetWeights:normalizer:)` can follow for the same batch. Logits
    /// are computed a block of rows at a time and never held for the whole batch.
    /// - Parameter sequences: token ids, each non-empty and at most `contextLength` long.
    /// - Returns: for each sequence of length n, n - 1 values: log p(token[t+1] | tokens[...t]), temperature 1.
    /// - Throws: `ModelError.invalidInput` for an empty batch, an over-long sequence or an unknown id.
    public func forward(_ sequences: [[Int32]]) throws(ModelError) -> [[Float]] {
        let (batch, workspace) = try forwardBody(sequences)
        OutputProjection.logProbabilities(
            hidden: workspace.finalNormed.pointer, weight: parameters.pointer + layout.outputWeight,
            targets: batch.targets.pointer, logProbs: workspace.logProbs.pointer, rowCount: batch.rowCount,
            channels: configuration.width, vocabularySize: configuration.vocabularySize,
            scratch: workspace.logitBlock.pointer)
        return batch.perSequence(workspace.logProbs.pointer)
    }

    /// Runs the family's body over `sequences` and keeps the activations for a `backward` pass over them.
    /// - Parameter sequences: token ids, each non-empty and at most `contextLength` long.
    /// - Returns: the batch and the workspace holding its activations, up to the final norm.
    /// - Throws: `ModelError.invalidInput` as `forward` does.
    func forwardBody(_ sequences: [[Int32]]) throws(ModelError) -> (TokenBatch, ActivationWorkspace) {
        let batch = try TokenBatch(sequences, configuration: configuration)
        let workspace = workspace(for: batch)
        runBody(batch, workspace)
        pendingBatch = batch
        return (batch, workspace)
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

    /// The logits of every position of every sequence, at temperature 1: what the model predicts after each token.
    ///
    /// Meant for inspection and reference checks on short inputs: it holds all `n * V` logits of each sequence.
    /// - Parameter sequences: token ids, each non-empty and at most `contextLength` long.
    /// - Returns: for each sequence of length n, `n * V` values, position-major.
    /// - Throws: `ModelError.invalidInput` as `forward` does.
    public func logits(_ sequences: [[Int32]]) throws(ModelError) -> [[Float]] {
        let batch = try TokenBatch(sequences, configuration: configuration)
        let workspace = workspace(for: batch)
        runBody(batch, workspace)
        pendingBatch = nil
        let (c, v) = (configuration.width, configuration.vocabularySize)
        let logits = FloatBuffer(count: batch.rowCount * v)
        Gemm.multiply(
            m: batch.rowCount, n: v, k: c, a: MatrixOperand(workspace.finalNormed.pointer, leadingDimension: c),
            b: MatrixOperand(parameters.pointer + layout.outputWeight, leadingDimension: c, transposed: true),
            c: logits.pointer, ldc: v)
        return batch.lengths.enumerated().map { index, length in
            Array(UnsafeBufferPointer(start: logits.pointer + index * batch.time * v, count: length * v))
        }
    }

    /// Runs the family's body over `batch`, leaving the final norm's output in `workspace.finalNormed`.
    func runBody(_ batch: TokenBatch, _ workspace: ActivationWorkspace) {
        switch layout.offsets {
        case .gpt(let offsets): runGPTBody(batch, workspace, offsets: offsets)
        case .llama(let offsets): runLlamaBody(batch, workspace, offsets: offsets)
        }
    }
}
