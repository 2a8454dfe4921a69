// Self-normalised importance weights rhoTilde_k: a stable softmax over k of log rho_k ([E4]).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The self-normalised weights of one question's K traces, with their diagnostics ([E4]).
public struct NormalizedWeights: Sendable, Equatable {
    /// `rhoTilde_k`, `[K]`: non-negative, summing to 1 when a trace is usable, all zero otherwise.
    public let weights: [Double]
    /// ESS, largest weight and the counts of usable and invalid traces.
    public let diagnostics: WeightDiagnostics

    /// Creates weights with their diagnostics.
    /// - Parameters:
    ///   - weights: the normalised weights.
    ///   - diagnostics: their diagnostics.
    public init(weights: [Double], diagnostics: WeightDiagnostics) {
        self.weights = weights
        self.diagnostics = diagnostics
    }
}

/// Normalises log importance weights over the traces of one question: a softmax over k ([E4]).
///
/// ```
/// rhoTilde_k = exp(logW_k - m) / sum_j exp(logW_j - m),   m = max over finite logW_j
/// ```
/// The weights are constants for the gradient ([E4]). This function never returns NaN:
/// - `-infinity` (e.g. Acc's zero-weight rule, [E6]) gives weight 0 and the trace is not usable;
/// - NaN and `+infinity` give weight 0 and are counted in `diagnostics.nonFiniteCount`;
/// - when no log weight is finite (every trace has acc 0) all weights are 0 and
///   `diagnostics.hasUsableTrace` is false: "no usable trace", the question adds nothing to the step.
/// Adding one constant to every log weight leaves the result unchanged.
/// - Parameter logWeights: `log rho_k`, `[K]`, from `logImportanceWeights` or any other source.
/// - Returns: the weights and their diagnostics.
public func normalizedWeights(logWeights: [Double]) -> NormalizedWeights {
    let finite = logWeights.filter(\.isFinite)
    let nonFiniteCount = logWeights.count { $0.isNaN || $0 == .infinity }
    guard let maximum = finite.max() else {
        let diagnostics = WeightDiagnostics(
            traceCount: logWeights.count, usableCount: 0, nonFiniteCount: nonFiniteCount, effectiveSampleSize: 0,
            maxWeight: 0)
        return NormalizedWeights(weights: Array(repeating: 0, count: logWeights.count), diagnostics: diagnostics)
    }
    // [E4] subtract the maximum before exp: each term is in (0, 1] and the sum in [1, K], so no overflow.
    let rawWeights = logWeights.map { $0.isFinite ? exp($0 - maximum) : 0 }
    let sum = rawWeights.reduce(0, +)
    let weights = rawWeights.map { $0 / sum }
    let diagnostics = WeightDiagnostics(
        traceCount: logWeights.count, usableCount: finite.count, nonFiniteCount: nonFiniteCount,
        effectiveSampleSize: effectiveSampleSize(weights: weights), maxWeight: weights.max() ?? 0)
    return NormalizedWeights(weights: weights, diagnostics: diagnostics)
}
