// Where a run of tokens' log-probabilities sit in a scored sequence.

/// Reading the log-probabilities of a run of tokens out of a sequence's scores.
///
/// `Transformer.score` and the training passes return, for a sequence of N tokens, N - 1 values: `logProbs[t]` is
/// `log p(token t+1 | tokens 0...t)`. The tokens at positions `start..<start+count` are therefore scored at
/// `start-1..<start-1+count`; the first token of a sequence has no score.
public enum ScoredTokens {
    /// The log-probabilities of the `count` tokens that start at position `start` of the scored sequence.
    /// - Parameters:
    ///   - logProbs: the sequence's scores, one per token after the first.
    ///   - start: the position of the run's first token in the sequence, at least 1.
    ///   - count: the run's length.
    /// - Returns: `count` values, widened to Double for the objectives.
    public static func logProbs(_ logProbs: [Float], ofTokensAt start: Int, count: Int) -> [Double] {
        logProbs[(start - 1)..<(start - 1 + count)].map(Double.init)
    }
}
