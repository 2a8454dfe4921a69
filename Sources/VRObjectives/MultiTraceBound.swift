// The multi-trace lower bound L_K on log P(Y_x | x), estimated by log-mean-exp of exact log rho_k ([E3]).

/// The estimate of the multi-trace bound `L_K` from exact log importance weights ([E3]).
///
/// ```
/// L_K estimate = log (1/K) sum_k rho_k = logMeanExp_k(log rho_k)
/// ```
/// With K = 1 this is the single-sample ELBO term `log pi(z|x) + log pi(Y|x,z) - log q(z|x,y')` ([E2]);
/// its expectation increases with K towards `log P(Y_x | x)` ([E1]). Pass the EXACT (unnormalised)
/// log weights: per-token normalised ones ([E5]) are not a bound. The estimate lies between the
/// mean of the log weights (Jensen) and their maximum. All `-infinity` gives `-infinity` (P estimated 0).
/// - Parameter logWeights: exact `log rho_k`, `[K]`, finite or `-infinity`.
/// - Returns: the estimate of `L_K`.
/// - Throws: `ObjectiveError.noTraces` for K = 0, `.nonFiniteValue` for NaN or `+infinity`.
public func multiTraceBound(logWeights: [Double]) throws(ObjectiveError) -> Double {
    guard !logWeights.isEmpty else { throw .noTraces(at: EvidenceLocation()) }
    try InputValidation.checkLogValues(logWeights, field: .logWeight, allowNegativeInfinity: true)
    return LogSpace.logMeanExp(logWeights)
}

/// The estimate of `L_K` for one question's traces, computed with the exact trace ratio ([E3]).
///
/// Uses `TraceNormalization.exact` whatever the training weights use. With the L estimator its expectation
/// is `L_K` itself. Acc is an unbiased estimate of `pi(Y_x|x,z)`, so by Jensen its expectation is at most
/// `L_K` and still a lower bound on `log P(Y_x|x)`. GML is not a probability of `Y_x`: report it only as a
/// diagnostic.
/// - Parameters:
///   - traces: the question's traces, `[K]`, at least one.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
/// - Returns: the estimate of `L_K`.
/// - Throws: `ObjectiveError` for K = 0 or invalid evidence.
public func multiTraceBound(traces: [TraceEvidence], estimator: Estimator) throws(ObjectiveError) -> Double {
    try multiTraceBound(logWeights: try logImportanceWeights(traces, estimator: estimator, normalization: .exact))
}
