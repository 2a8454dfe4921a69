// Which traces of a question go into the training set: all K weighted, or the single best (released code).

/// The traces chosen from one question for a training set, with the counts of dropped traces.
///
/// Mirrors the released offline code: the 1K setting keeps all K traces weighted by `rhoTilde` ([E4]); the
/// 17K setting keeps only the argmax trace and trains on it unweighted, mixed with the original data. In
/// both, traces over the length cap and traces of weight zero (Acc 0, [E6]) are dropped, and a question
/// with no trace left falls back to its original (reference) example.
public struct TraceSelection: Sendable, Equatable {
    /// How many traces to keep.
    public enum Mode: Sendable, Equatable {
        /// All K traces with their normalised weights (the 1K setting, the better one in the paper).
        case allWeighted
        /// The trace of largest `log rho_k`, trained with weight 1 (the 17K setting).
        case bestTrace
    }

    /// What the training set gets for this question.
    public enum Choice: Sendable, Equatable {
        /// Every trace with weight `rhoTilde_k`; dropped traces have weight 0.
        case weighted(NormalizedWeights)
        /// Only trace `trace`, whose log weight `logWeight` is the largest (first index on ties).
        case best(trace: Int, logWeight: Double)
        /// No trace survived: use the original example (reference trace and solution) instead.
        case reference
    }

    /// The choice.
    public let choice: Choice
    /// Traces dropped for exceeding the length cap.
    public let overLengthCount: Int
    /// Traces (within the cap) dropped for weight zero: Acc 0 or a probability-zero token.
    public let zeroWeightCount: Int

    /// Creates a selection.
    /// - Parameters:
    ///   - choice: the choice.
    ///   - overLengthCount: traces dropped for length.
    ///   - zeroWeightCount: traces dropped for weight zero.
    public init(choice: Choice, overLengthCount: Int, zeroWeightCount: Int) {
        self.choice = choice
        self.overLengthCount = overLengthCount
        self.zeroWeightCount = zeroWeightCount
    }
}

/// Selects the traces of one question for a training set, with the released code's rules.
///
/// ```
/// log rho_k from [E5], [E6]; drop k if |z_k| > maxTraceTokenCount or log rho_k = -infinity
/// allWeighted: rhoTilde over the survivors ([E4]);  bestTrace: argmax_k log rho_k (first on ties)
/// no survivor: fall back to the reference example
/// ```
/// The released code keeps traces shorter than 28000 tokens (`maxTraceTokenCount = 27999`). It truncates
/// logPi and logQ to their common length when they differ; here a length mismatch is an error instead.
/// - Parameters:
///   - traces: the question's K traces.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
///   - mode: all weighted, or the single best.
///   - normalization: how the trace ratio enters ([E5]); per-token as in the released code.
///   - maxTraceTokenCount: the longest trace kept; nil for no cap.
/// - Returns: the selection and the counts of dropped traces.
/// - Throws: `ObjectiveError` for invalid evidence or a negative cap.
public func selectTraces(
    _ traces: [TraceEvidence], estimator: Estimator, mode: TraceSelection.Mode,
    normalization: TraceNormalization = .perToken, maxTraceTokenCount: Int? = nil
) throws(ObjectiveError) -> TraceSelection {
    if let maxTraceTokenCount, maxTraceTokenCount < 0 {
        throw .invalidParameter("the trace length cap must be non-negative, got \(maxTraceTokenCount)")
    }
    // 1. log rho_k [E5], [E6]
    var logWeights = try logImportanceWeights(traces, estimator: estimator, normalization: normalization)
    // 2. drop over-length traces, then count the zero-weight ones among the rest
    var overLengthCount = 0
    for (index, trace) in traces.enumerated() where trace.tokenCount > maxTraceTokenCount ?? Int.max {
        logWeights[index] = -.infinity
        overLengthCount += 1
    }
    let zeroWeightCount = logWeights.count { $0 == -.infinity } - overLengthCount
    // 3. choose
    let choice: TraceSelection.Choice
    switch mode {
    case .allWeighted:
        let weights = normalizedWeights(logWeights: logWeights)
        choice = weights.diagnostics.hasUsableTrace ? .weighted(weights) : .reference
    case .bestTrace:
        // The first index wins ties, like the released code's stable descending sort.
        let best = logWeights.indices.reduce(nil as Int?) { best, index in
            guard logWeights[index] > -.infinity else { return best }
            guard let best else { return index }
            return logWeights[index] > logWeights[best] ? index : best
        }
        choice = best.map { .best(trace: $0, logWeight: logWeights[$0]) } ?? .reference
    }
    return TraceSelection(choice: choice, overLengthCount: overLengthCount, zeroWeightCount: zeroWeightCount)
}
