// The backward pass: token-weighted NLL gradient through the output projection, then the family's body.
//
// Legend: N rows, C channels, V vocabulary. Every objective is this one primitive (docs/math.md [E10]):
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
}

extension Transformer {
    /// Forward and backward over a batch with one weight per target token, accumulating into `gradients`.
    ///
    /// Implements [E10]: `loss = -(1/normalizer) * sum_s sum_t weights[s][t] * log p(tokens[s][t+1] | ...)`.
    /// Gradients are added to `gradients`; call `zeroGradients()` between optimizer steps. The output projection
    /// runs once, in the backward pass, and only over the weighted targets.
    /// - Parameters:
    ///   - sequences: token ids, each of length 1...contextLength.
    ///   - targetWeights: for each sequence of length n, n - 1 finite weights.
    ///   - normalizer: the Dr. SFT constant C (positive).
    /// - Returns: the loss and the weights' sum.
    /// - Throws: `ModelError.invalidInput` for malformed sequences or weights.
    public func train(
        _ sequences: [[Int32]], targetWeights: [[Float]], normalizer: Float
    ) throws(ModelError)
        -> TrainingStepResult
    {
        _ = try forwardBody(sequences)
        return try backward(targetWeights: targetWeights, normalizer: normalizer)
    }

    /// Back-propagates the weighted NLL of the batch given to the last `forward` call.
    /// - Parameters:
    ///   - targetWeights: for each sequence of length n, n - 1 finite weights.
    ///   - normalizer: the Dr. SFT constant C (positive).
    /// - Returns: the loss and weight statistics.
    /// - Throws: `ModelError.invalidInput` when no forward pass is pending or the weights do not fit it.
    public func backward(
        targetWeights: [[Float]], normalizer: Float
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
        let (c, v) = (configuration.width, configuration.vocabularySize)
        let loss = OutputProjection.lossAndGradient(
            hidden: workspace.finalNormed.pointer, weight: parameters.pointer + layout.outputWeight,
            targets: batch.targets.pointer, rowWeights: rowWeights.pointer, scale: 1 / normalizer,
            dHidden: workspace.dNormalized.pointer, dWeight: gradients.pointer + layout.outputWeight,
            rowCount: batch.rowCount, channels: c, vocabularySize: v, scratch: workspace.logitBlock.pointer)
        switch layout.offsets {
        case .gpt(let offsets): runGPTBodyBackward(batch, workspace, offsets: offsets)
        case .llama(let offsets): runLlamaBodyBackward(batch, workspace, offsets: offsets)
        }
        let flat = targetWeights.joined()
        return TrainingStepResult(
            loss: loss, weightSum: flat.reduce(0) { $0 + Double($1) }, weightedTargetCount: flat.count { $0 != 0 })
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.zero()
    }
}
