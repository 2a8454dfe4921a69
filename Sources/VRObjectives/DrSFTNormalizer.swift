// The Dr. SFT loss constant C: the training set's average response length ([E10]).

/// The loss normaliser of [E10] and its per-step form.
public enum DrSFTNormalizer {
    /// The loss normaliser `C` of [E10]: the mean response length over the whole training set.
    ///
    /// This is the constant of the Dr. SFT loss:
    /// ```
    /// loss = -(1/C) sum_s sum_t weight_st log p(token_s,t+1 | prefix),   C = (1/S) sum_s |response_s|
    /// ```
    /// A constant `C` (instead of the batch's token count) keeps long and short responses at their natural
    /// proportion and keeps the loss scale independent of the batch. `Transformer.train` takes it as
    /// `normalizer`; a step over B sequences passes `C * B` (`stepNormalizer`) so the loss is a per-token mean.
    /// - Parameter responseTokenCounts: each example's weighted target count, e.g.
    ///   `TargetWeightLayout.responseTokenCount` (trace plus answer tokens), `[S]`, all non-negative.
    /// - Returns: `C`, positive.
    /// - Throws: `ObjectiveError.noTraces` for an empty set, `.invalidParameter` for a negative count or a
    ///   set without any response token.
    public static func constant(responseTokenCounts: [Int]) throws(ObjectiveError) -> Double {
        guard !responseTokenCounts.isEmpty else { throw .noTraces(at: EvidenceLocation()) }
        if let index = responseTokenCounts.firstIndex(where: { $0 < 0 }) {
            throw .invalidParameter("response \(index) has a negative length \(responseTokenCounts[index])")
        }
        let total = responseTokenCounts.reduce(0, +)
        guard total > 0 else { throw .invalidParameter("no example has a response token; C would be 0") }
        // [E10] C is the average response length of the training set.
        return Double(total) / Double(responseTokenCounts.count)
    }

    /// The normalizer of one step over `batchSize` sequences: `C * B` ([E10] summed over a batch), so the
    /// step's loss is about the mean per-token negative log-likelihood and its scale does not change with B.
    /// - Parameters:
    ///   - constant: `C` from `constant(responseTokenCounts:)`.
    ///   - batchSize: the number of sequences in the step (B).
    /// - Returns: the value to pass as `normalizer` to `Transformer.train`.
    public static func stepNormalizer(constant: Double, batchSize: Int) -> Float {
        Float(constant * Double(batchSize))
    }
}
