// The Dr. SFT loss constant ([E10]) of an SFT data set: its average response length, not a batch's.

import VRObjectives

extension DrSFTNormalizer {
    /// The constant `C` of [E10] for an SFT data set: the mean number of weighted targets (response plus end
    /// token) per example.
    /// - Parameter examples: the tokenized training set.
    /// - Returns: `C`.
    /// - Throws: `TrainingError.emptyDataset` when there is no example or no weighted target.
    public static func constant(for examples: [SFTExample]) throws(TrainingError) -> Double {
        do {
            return try constant(responseTokenCounts: examples.map { $0.targetWeights.count { $0 != 0 } })
        } catch {
            throw .emptyDataset(path: "the dataset (no response tokens to train on: \(error))")
        }
    }
}
