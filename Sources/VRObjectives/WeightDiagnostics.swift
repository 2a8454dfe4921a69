// Health of one question's normalised weights: effective sample size, largest weight, usable traces.

/// Numerical health of a set of normalised weights, returned with them rather than thrown.
///
/// A learner decides from these values whether to train on a question: `usableCount == 0` means no
/// trace carries weight ("no usable trace") and every weight is zero.
public struct WeightDiagnostics: Sendable, Equatable {
    /// K, the number of traces.
    public let traceCount: Int
    /// Traces with a finite log weight.
    ///
    /// Their weights are positive unless they underflow (a log weight about 745 below the largest).
    public let usableCount: Int
    /// Log weights that were NaN or `+infinity`; they get weight zero and are not usable.
    public let nonFiniteCount: Int
    /// `1 / sum_k w_k^2`, in `[1, usableCount]`; 0 when no trace is usable.
    public let effectiveSampleSize: Double
    /// The largest weight, in `[1/usableCount, 1]`; 0 when no trace is usable.
    public let maxWeight: Double

    /// Creates diagnostics from their parts.
    /// - Parameters:
    ///   - traceCount: K.
    ///   - usableCount: traces with positive weight.
    ///   - nonFiniteCount: NaN or `+infinity` log weights.
    ///   - effectiveSampleSize: the ESS.
    ///   - maxWeight: the largest weight.
    public init(traceCount: Int, usableCount: Int, nonFiniteCount: Int, effectiveSampleSize: Double, maxWeight: Double)
    {
        self.traceCount = traceCount
        self.usableCount = usableCount
        self.nonFiniteCount = nonFiniteCount
        self.effectiveSampleSize = effectiveSampleSize
        self.maxWeight = maxWeight
    }

    /// Whether at least one trace has positive weight.
    public var hasUsableTrace: Bool { usableCount > 0 }
}

/// The effective sample size of a set of non-negative weights (Kish).
///
/// ```
/// ESS = (sum_k w_k)^2 / sum_k w_k^2      (= 1 / sum_k w_k^2 when the weights sum to 1)
/// ```
/// It lies in `[1, n]` for `n` positive weights: 1 when one weight holds everything, `n` when all are
/// equal. Non-finite and non-positive entries are skipped; an input without a positive weight gives 0.
/// - Parameter weights: the weights, normalised or not.
/// - Returns: the ESS, or 0 when no weight is positive.
public func effectiveSampleSize(weights: [Double]) -> Double {
    let positive = weights.filter { $0.isFinite && $0 > 0 }
    guard let largest = positive.max() else { return 0 }
    // Scale by the largest weight so that neither sum overflows or underflows.
    var sum = 0.0
    var sumOfSquares = 0.0
    for weight in positive {
        let scaled = weight / largest
        sum += scaled
        sumOfSquares += scaled * scaled
    }
    return sum * sum / sumOfSquares
}
