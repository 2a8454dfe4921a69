// The per-target weights of one training sequence [prompt][trace][answer], as Transformer.train takes them ([E10]).
//
// Legend: P prompt tokens, T trace tokens, A answer tokens, N = P + T + A tokens in the sequence.

/// The layout of one training sequence: `P` prompt tokens, then `T` trace tokens, then `A` answer tokens.
///
/// The model's `train(_:targetWeights:normalizer:)` takes `N - 1` weights per sequence of `N` tokens;
/// the weight at index `t` multiplies `log p(token[t+1] | token[0...t])`, the prediction of token `t + 1`:
/// ```
/// index t:   0 ... P-2  |  P-1 ... P+T-2  |  P+T-1 ... N-2
/// predicts:  prompt     |  trace          |  answer
/// weight:    0          |  traceWeight    |  answerWeight
/// ```
/// The first prompt token is never predicted, so `P >= 1` (use a document-start token for an empty prompt).
/// End-of-thought and end-of-answer markers belong to whichever part the caller counts them in.
public struct TargetWeightLayout: Sendable, Equatable {
    /// P, tokens of the prompt (system, question, opening marker); at least 1.
    public let promptTokenCount: Int
    /// T, tokens of the thinking trace.
    public let traceTokenCount: Int
    /// A, tokens of the answer (including end markers the caller places there).
    public let answerTokenCount: Int

    /// Creates a layout.
    /// - Parameters:
    ///   - promptTokenCount: P, at least 1.
    ///   - traceTokenCount: T, non-negative.
    ///   - answerTokenCount: A, non-negative.
    /// - Throws: `ObjectiveError.invalidParameter` for counts out of range.
    public init(promptTokenCount: Int, traceTokenCount: Int, answerTokenCount: Int) throws(ObjectiveError) {
        guard promptTokenCount >= 1 else {
            throw .invalidParameter("a sequence needs at least one prompt token, got \(promptTokenCount)")
        }
        guard traceTokenCount >= 0, answerTokenCount >= 0 else {
            throw .invalidParameter("negative trace (\(traceTokenCount)) or answer (\(answerTokenCount)) length")
        }
        self.promptTokenCount = promptTokenCount
        self.traceTokenCount = traceTokenCount
        self.answerTokenCount = answerTokenCount
    }

    /// N, the sequence length.
    public var tokenCount: Int { promptTokenCount + traceTokenCount + answerTokenCount }

    /// T + A, the targets that carry weight: the response length that enters the constant `C` of [E10].
    public var responseTokenCount: Int { traceTokenCount + answerTokenCount }

    /// The `N - 1` target weights of this sequence ([E10], with [E4] or [E8] weights per trace).
    ///
    /// For the model update [E4] pass `traceWeight = rhoTilde_k`; for the posterior update [E8] (q's
    /// prompt carries the hint) `wTilde_m`; for single-best-trace or plain SFT, 1. Weights may be negative
    /// (GRPO advantages).
    /// - Parameters:
    ///   - traceWeight: the weight of every trace target.
    ///   - answerWeight: the weight of every answer target; `traceWeight` when nil.
    /// - Returns: `[N - 1]` weights, `Float` as `train` takes them.
    /// - Throws: `ObjectiveError.nonFiniteValue` or `.valueOutOfRange` for a weight that is not a finite Float.
    public func targetWeights(traceWeight: Double, answerWeight: Double? = nil) throws(ObjectiveError) -> [Float] {
        let traceValue = try Self.floatWeight(traceWeight)
        let answerValue =
            try answerWeight.map { value throws(ObjectiveError) in try Self.floatWeight(value) } ?? traceValue
        // Target t predicts token t + 1: prompt targets are t + 1 < P, so P - 1 of them.
        return Array(repeating: 0, count: promptTokenCount - 1)
            + Array(repeating: traceValue, count: traceTokenCount)
            + Array(repeating: answerValue, count: answerTokenCount)
    }

    /// The `N - 1` target weights of a sequence of `promptTokenCount` prompt tokens followed by one response
    /// token per element of `responseWeights` ([E10]): prompt targets get 0, response token t its weight.
    /// - Parameters:
    ///   - promptTokenCount: P, at least 1.
    ///   - responseWeights: one weight per response token, any sign.
    /// - Returns: `[P - 1 + responseWeights.count]` weights, `Float` as `train` takes them.
    /// - Throws: `ObjectiveError.invalidParameter` for an empty prompt, `.nonFiniteValue` or `.valueOutOfRange`
    ///   for a weight that is not a finite Float.
    public static func targetWeights(
        promptTokenCount: Int, responseWeights: [Double]
    ) throws(ObjectiveError) -> [Float] {
        guard promptTokenCount >= 1 else {
            throw .invalidParameter("a sequence needs at least one prompt token, got \(promptTokenCount)")
        }
        var weights = [Float](repeating: 0, count: promptTokenCount - 1)
        weights.reserveCapacity(promptTokenCount - 1 + responseWeights.count)
        for weight in responseWeights { weights.append(try floatWeight(weight)) }
        return weights
    }

    private static func floatWeight(_ weight: Double) throws(ObjectiveError) -> Float {
        if let kind = NonFiniteKind(weight) { throw .nonFiniteValue(kind, field: .weight, at: EvidenceLocation()) }
        let value = Float(weight)
        guard value.isFinite else {
            throw .valueOutOfRange(
                weight, field: .weight, expected: "a value that fits in Float", at: EvidenceLocation())
        }
        return value
    }
}
