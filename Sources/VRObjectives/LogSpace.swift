// Log-space reductions: log-sum-exp and log-mean-exp with the maximum subtracted first ([E3], [E4]).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reductions over log-space values that never overflow.
public enum LogSpace {
    /// The log of the sum of exponentials, computed with the maximum subtracted first.
    ///
    /// ```
    /// logSumExp(l) = m + log sum_k exp(l_k - m),   m = max_k l_k
    /// ```
    /// An empty input or one that is all `-infinity` gives `-infinity` (the log of an empty sum). A NaN
    /// input gives NaN and `+infinity` gives `+infinity`: callers validate first (see `multiTraceBound`).
    /// - Parameter logValues: the values `l_k`.
    /// - Returns: `log sum_k exp(l_k)`.
    public static func logSumExp(_ logValues: [Double]) -> Double {
        guard let maximum = logValues.max() else { return -.infinity }
        if logValues.contains(where: \.isNaN) { return .nan }
        // [E4] subtract the maximum before exp: every term is in (0, 1], so the sum is in [1, K].
        guard maximum.isFinite else { return maximum }
        var sum = 0.0
        for logValue in logValues { sum += exp(logValue - maximum) }
        return maximum + log(sum)
    }

    /// The log of the mean of exponentials: `logSumExp(l) - log K` ([E3]).
    ///
    /// - Parameter logValues: the values `l_k`, at least one.
    /// - Returns: `log (1/K) sum_k exp(l_k)`; `-infinity` for an empty input.
    public static func logMeanExp(_ logValues: [Double]) -> Double {
        guard !logValues.isEmpty else { return -.infinity }
        return logSumExp(logValues) - log(Double(logValues.count))
    }

    /// The arithmetic mean, defined as 0 for an empty input (the per-token mean of an empty trace, [E5]).
    /// - Parameter values: the values to average.
    /// - Returns: `sum / count`, or 0 when `values` is empty.
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
