// The trace part of log rho_k: per-token geometric mean (used in practice) or the exact sum ([E5]).

/// How the trace likelihood ratio `pi(z_k | x) / q(z_k | x, y')` enters `log rho_k` ([E5]).
public enum TraceNormalization: String, Codable, Sendable, Equatable, CaseIterable {
    /// The per-token geometric mean of the ratio, as in the paper's experiments and released code (default).
    case perToken
    /// The exact ratio: the sum of per-token log-ratios. Needed for the bound [E3].
    case exact

    /// The log trace ratio of one trace ([E5]).
    ///
    /// ```
    /// perToken: (1/|z|) sum_t [logPi_t - logQ_t]     (defined as 0 for an empty trace)
    /// exact:          sum_t [logPi_t - logQ_t]     (0 for an empty trace)
    /// ```
    /// `-infinity` in `logPi` (a token pi cannot produce) gives `-infinity`, i.e. weight zero.
    /// - Precondition: `logPi.count == logQ.count` (checked).
    /// - Parameters:
    ///   - logPi: per-token `log pi` of the trace, `[T]`.
    ///   - logQ: per-token `log q` of the same tokens, `[T]`; all finite.
    /// - Returns: a finite value or `-infinity`; never NaN.
    /// - Throws: `ObjectiveError.lengthMismatch`, or `.nonFiniteValue` for NaN or `+infinity` in either
    ///   array and for `-infinity` in `logQ`, or `.sumOverflow` if the sum overflows (inputs near 1e308).
    public func logTraceRatio(logPi: [Double], logQ: [Double]) throws(ObjectiveError) -> Double {
        guard logPi.count == logQ.count else {
            throw .lengthMismatch(logPiCount: logPi.count, logQCount: logQ.count, at: EvidenceLocation())
        }
        try InputValidation.checkLogValues(logPi, field: .logPiTrace, allowNegativeInfinity: true)
        try InputValidation.checkLogValues(logQ, field: .logQTrace, allowNegativeInfinity: false)
        guard !logPi.isEmpty else { return 0 }
        var logRatio = 0.0
        for (logPiToken, logQToken) in zip(logPi, logQ) { logRatio += logPiToken - logQToken }
        logRatio = try InputValidation.checkSum(logRatio, field: .logPiTrace)
        // [E5] length normalisation: the per-token geometric mean of the ratio.
        return self == .perToken ? logRatio / Double(logPi.count) : logRatio
    }
}
