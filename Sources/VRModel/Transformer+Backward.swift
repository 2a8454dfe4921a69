// The backward pass: token-weighted NLL gradient through the logits, blocks and embeddings.
//
// Legend: N rows, C channels, V vocabulary. Every objective is this one primitive (PAPER.md [E10]):
//   loss = -(1/normalizer) * sum over sequences s, targets t of weight_st * log p(token_s,t+1 | prefix)

import VRTensor

/// What one forward + backward pass computed.
public struct TrainingStepResult: Sendable, Equatable {
    /// The weighted loss `-(1/normalizer) * sum weight * log p`.
    public let loss: Double
    /// The sum of all target weights.
    public let weightSum: Double
    /// Number of targets with a non-zero weight.
    public let weightedTargetCount: Int
    /// Per-sequence next-token log-probabilities from the forward pass.
    public let logProbs: [[Float]]
}

extension Transformer {
    /// Forward and backward over a batch with one weight per target token, accumulating into `gradients`.
    ///
    /// Implements [E10]: `loss = -(1/normalizer) * sum_s sum_t weights[s][t] * log p(tokens[s][t+1] | ...)`.
    /// Gradients are added to `gradients`; call `zeroGradients()` between optimizer steps.
    /// - Parameters:
    ///   - sequences: token ids, each of length 1...contextLength.
    ///   - targetWeights: for each sequence of length n, n - 1 finite weights.
    ///   - normalizer: the Dr. SFT constant C (positive).
    /// - Returns: the loss, the weights' sum and the forward log-probabilities.
    /// - Throws: `ModelError.invalidInput` for malformed sequences or weights.
    public func train(
        _ sequences: [[Int32]], targetWeights: [[Float]], normalizer: Float
    ) throws(ModelError)
        -> TrainingStepResult
    {
        let logProbs = try forward(sequences)
        return try backward(targetWeights: targetWeights, normalizer: normalizer, logProbs: logProbs)
    }

    /// Back-propagates the weighted NLL of the batch given to the last `forward` call.
    /// - Parameters:
    ///   - targetWeights: for each sequence of length n, n - 1 finite weights.
    ///   - normalizer: the Dr. SFT constant C (positive).
    ///   - logProbs: the log-probabilities `forward` returned, echoed back in the result.
    /// - Returns: the loss and weight statistics.
    /// - Throws: `ModelError.invalidInput` when no forward pass is pending or the weights do not fit it.
    public func backward(
        targetWeights: [[Float]], normalizer: Float, logProbs: [[Float]] = []
    ) throws(ModelError)
        -> TrainingStepResult
    {
        // The pending batch is consumed even when the call fails, so a stale forward is never reused.
        let pending = pendingBatch
        pendingBatch = nil
        guard let batch = pending, let workspace else {
            throw .invalidInput("backward needs a preceding forward pass over the same batch")
        }
        guard normalizer > 0, normalizer.isFinite else {
            throw .invalidInput("the normalizer must be positive and finite, got \(normalizer)")
        }
        let rowWeights = FloatBuffer(try batch.rowWeights(targetWeights))
        let loss = SoftmaxCrossEntropy.lossAndGradient(
            logits: workspace.logits.pointer, targets: batch.targets.pointer, weights: rowWeights.pointer,
            scale: 1 / normalizer, logProbs: workspace.logProbs.pointer, rowCount: batch.rowCount,
            vocabularySize: configuration.vocabularySize)
        runBackward(batch, workspace)
        let flat = targetWeights.joined()
        return TrainingStepResult(
            loss: loss, weightSum: flat.reduce(0) { $0 + Double($1) }, weightedTargetCount: flat.count { $0 != 0 },
            logProbs: logProbs)
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.zero()
    }

    private func runBackward(_ batch: TokenBatch, _ workspace: ActivationWorkspace) {
        let (n, c, v) = (batch.rowCount, configuration.width, configuration.vocabularySize)
        let weights = UnsafePointer(parameters.pointer)
        let grads = gradients.pointer
        let attentionShape = CausalAttention.Shape(
            batch: batch.sequenceCount, time: batch.time, channels: c, heads: configuration.headCount)
        let dResidual = workspace.dResidual.pointer
        // 1. logits = lnFinal * wte^T
        Gemm.multiply(
            m: n, n: c, k: v, a: MatrixOperand(workspace.logits.pointer, leadingDimension: v),
            b: MatrixOperand(weights + layout.tokenEmbedding, leadingDimension: c), c: workspace.dNormalized.pointer,
            ldc: c)
        Gemm.multiply(
            m: v, n: c, k: n, a: MatrixOperand(workspace.logits.pointer, leadingDimension: v, transposed: true),
            b: MatrixOperand(workspace.lnFinal.pointer, leadingDimension: c), c: grads + layout.tokenEmbedding, ldc: c,
            beta: 1)
        dResidual.update(repeating: 0, count: n * c)
        LayerNorm.backward(
            dOut: workspace.dNormalized.pointer, input: workspace.residuals[layout.blocks.count].pointer,
            weight: weights + layout.finalNormWeight, mean: workspace.lnFinalMean.pointer,
            rstd: workspace.lnFinalRstd.pointer, dInput: dResidual, dWeight: grads + layout.finalNormWeight,
            dBias: grads + layout.finalNormBias, rowCount: n, channels: c)
        // 2. blocks in reverse; dResidual carries the gradient of the residual stream
        for (index, block) in layout.blocks.enumerated().reversed() {
            let saved = workspace.blocks[index]
            Linear.backward(
                dOut: dResidual, input: saved.activated.pointer, weight: weights + block.fcProjWeight,
                dInput: workspace.dHidden.pointer, dWeight: grads + block.fcProjWeight,
                dBias: grads + block.fcProjBias, rowCount: n, inputCount: 4 * c, outputCount: c)
            GELU.backward(
                dOut: workspace.dHidden.pointer, input: saved.hidden.pointer, dInput: workspace.dHidden.pointer,
                count: n * 4 * c)
            Linear.backward(
                dOut: workspace.dHidden.pointer, input: saved.ln2.pointer, weight: weights + block.fcWeight,
                dInput: workspace.dNormalized.pointer, dWeight: grads + block.fcWeight, dBias: grads + block.fcBias,
                rowCount: n, inputCount: c, outputCount: 4 * c)
            LayerNorm.backward(
                dOut: workspace.dNormalized.pointer, input: saved.residualMid.pointer,
                weight: weights + block.ln2Weight,
                mean: saved.ln2Mean.pointer, rstd: saved.ln2Rstd.pointer, dInput: dResidual,
                dWeight: grads + block.ln2Weight, dBias: grads + block.ln2Bias, rowCount: n, channels: c)
            Linear.backward(
                dOut: dResidual, input: saved.attention.pointer, weight: weights + block.projWeight,
                dInput: workspace.dAttention.pointer, dWeight: grads + block.projWeight, dBias: grads + block.projBias,
                rowCount: n, inputCount: c, outputCount: c)
            CausalAttention.backward(
                dOut: workspace.dAttention.pointer, qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer,
                dQKV: workspace.dQKV.pointer, shape: attentionShape)
            Linear.backward(
                dOut: workspace.dQKV.pointer, input: saved.ln1.pointer, weight: weights + block.qkvWeight,
                dInput: workspace.dNormalized.pointer, dWeight: grads + block.qkvWeight, dBias: grads + block.qkvBias,
                rowCount: n, inputCount: c, outputCount: 3 * c)
            LayerNorm.backward(
                dOut: workspace.dNormalized.pointer, input: workspace.residuals[index].pointer,
                weight: weights + block.ln1Weight, mean: saved.ln1Mean.pointer, rstd: saved.ln1Rstd.pointer,
                dInput: dResidual, dWeight: grads + block.ln1Weight, dBias: grads + block.ln1Bias, rowCount: n,
                channels: c)
        }
        // 3. embeddings
        Embedding.backward(
            dOut: dResidual, tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            dTokenTable: grads + layout.tokenEmbedding, dPositionTable: grads + layout.positionEmbedding, rowCount: n,
            channels: c)
    }
}
