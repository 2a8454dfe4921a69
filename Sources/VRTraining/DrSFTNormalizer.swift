// The Dr. SFT loss constant ([E10]): divide by the data set's average response length, not the batch's.

import VRObjectives

/// The normalizers of the SFT loss with a constant denominator, as [E10] prescribes.
///
/// PAPER.md [E10]: `loss = -(1/C) * sum over sequences s, tokens t of weight_st * log p(token_st | prefix)`,
/// where `C` is the average number of weighted target tokens (response plus end token) over the whole
/// training set. Because `C` is a constant, a long response contributes proportionally more than a short
/// one, unlike per-batch token averaging.
///
/// A step sums over the `B` sequences of its batch, so the trainer passes `C * B` to `Transformer.train`:
/// the step's loss is then about the mean per-token negative log-likelihood, and the gradient's scale does
/// not change with the batch size.
public enum DrSFTNormalizer {
    /// The constant `C` of [E10]: the mean number of weighted targets (response plus end token) per example.
    /// - Parameter examples: the tokenized training set.
    /// - Returns: `C`.
    /// - Throws: `TrainingError.emptyDataset` when there is no example or no weighted target.
    public static func constant(for examples: [SFTExample]) throws(TrainingError) -> Double {
        do {
            return try drSFTNormalizer(responseTokenCounts: examples.map { $0.targetWeights.count { $0 != 0 } })
        } catch {
            throw .emptyDataset(path: "the dataset (no response tokens to train on: \(error))")
        }
    }

    /// The normalizer of one step over `batchSize` sequences: `C * B` ([E10] summed over a batch).
    /// - Parameters:
    ///   - constant: `C` from `constant(for:)`.
    ///   - batchSize: the number of sequences in the step (B).
    /// - Returns: the value to pass as `normalizer` to `Transformer.train`.
    public static func stepNormalizer(constant: Double, batchSize: Int) -> Float {
        Float(constant * Double(batchSize))
    }
}
