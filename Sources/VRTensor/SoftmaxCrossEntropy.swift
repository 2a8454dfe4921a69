// Log-softmax over the vocabulary, per-row target log-probabilities and the weighted NLL gradient.
//
// Legend: N rows, V vocabulary.
//   logProb[n] = logits[n, target[n]] - logsumexp(logits[n])
//   loss = -scale * sum_n weight[n] * logProb[n]
//   dLogits[n, v] = scale * weight[n] * (softmax(logits[n])[v] - [v == target[n]])

/// The softmax cross-entropy that every training objective reduces to (token-weighted NLL).
public enum SoftmaxCrossEntropy {
    /// Writes each row's target log-probability; rows whose target is negative get 0.
    /// - Parameters:
    ///   - logits: `[N, V]`.
    ///   - targets: `[N]` token ids in `0..<V`, or -1 for rows without a target.
    ///   - logProbs: `[N]`, written.
    ///   - rowCount: N.
    ///   - vocabularySize: V.
    public static func logProbabilities(
        logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, logProbs: UnsafeMutablePointer<Float>,
        rowCount: Int, vocabularySize: Int
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 16) { rows in
            for row in rows {
                let target = Int(targets[row])
                guard target >= 0 else {
                    logProbs[row] = 0
                    continue
                }
                let rowLogits = logits + row * vocabularySize
                logProbs[row] = rowLogits[target] - VectorMath.logSumExp(rowLogits, count: vocabularySize)
            }
        }
    }

    /// Computes target log-probabilities and the weighted loss, and replaces `logits` by dLoss/dLogits.
    /// - Parameters:
    ///   - logits: `[N, V]`, overwritten by the gradient.
    ///   - targets: `[N]` token ids, or -1 for rows without a target.
    ///   - weights: `[N]` per-row weights (rows without a target must have weight 0).
    ///   - scale: the factor in front of the sum (1 / C for Dr. SFT).
    ///   - logProbs: `[N]`, written.
    ///   - rowCount: N.
    ///   - vocabularySize: V.
    /// - Returns: the loss, summed in double precision.
    @discardableResult
    public static func lossAndGradient(
        logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, weights: UnsafePointer<Float>,
        scale: Float, logProbs: UnsafeMutablePointer<Float>, rowCount: Int, vocabularySize: Int
    ) -> Double {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 16) { rows in
            for row in rows {
                let rowLogits = logits + row * vocabularySize
                let target = Int(targets[row])
                let rowScale = scale * weights[row]
                guard target >= 0 else {
                    logProbs[row] = 0
                    rowLogits.update(repeating: 0, count: vocabularySize)
                    continue
                }
                let logNormalizer = VectorMath.logSumExp(rowLogits, count: vocabularySize)
                logProbs[row] = rowLogits[target] - logNormalizer
                if rowScale == 0 {
                    rowLogits.update(repeating: 0, count: vocabularySize)
                    continue
                }
                var index = 0
                while index + 16 <= vocabularySize {
                    let probabilities = VectorMath.exp(VectorMath.load(rowLogits + index) - logNormalizer)
                    VectorMath.store(probabilities * rowScale, rowLogits + index)
                    index += 16
                }
                while index < vocabularySize {
                    rowLogits[index] = ScalarMath.exp(rowLogits[index] - logNormalizer) * rowScale
                    index += 1
                }
                rowLogits[target] -= rowScale
            }
        }
        var loss: Double = 0
        for row in 0..<rowCount { loss -= Double(scale) * Double(weights[row]) * Double(logProbs[row]) }
        return loss
    }
}
