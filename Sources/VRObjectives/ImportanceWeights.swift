// The log importance weights log rho_k of a question's traces, from pi, q and answer evidence ([E3]-[E6]).
//
// Legend: K traces per question, T tokens per trace.

/// The log importance weight `log rho_k` of one trace ([E3] with [E5] and [E6]).
///
/// ```
/// log rho_k = log pi^(Y_x | x, z_k) + log ratio_k
/// log ratio_k = (1/|z_k|) sum_t [logPi_t - logQ_t]   (.perToken, [E5])  or  sum_t [...]   (.exact, [E3])
/// ```
/// With `.exact` and the L estimator this is the exact `log [pi(z_k|x) pi(Y_x|x,z_k) / q(z_k|x,y')]`.
/// The result is finite or `-infinity` (weight zero: Acc 0, or a probability-zero token), never NaN.
/// - Parameters:
///   - trace: the trace's scores and answer evidence.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
///   - normalization: how the trace ratio enters ([E5]); per-token by default, as in the paper.
/// - Returns: `log rho_k`.
/// - Throws: `ObjectiveError` for invalid evidence (see `Estimator` and `TraceNormalization`).
public func logImportanceWeight(
    _ trace: TraceEvidence, estimator: Estimator, normalization: TraceNormalization = .perToken
) throws(ObjectiveError) -> Double {
    // Both parts are validated before combining, so an Acc-0 trace with a NaN score still throws.
    let logAnswer = try estimator.logAnswerProbability(trace.answer)
    let logRatio = try normalization.logTraceRatio(logPi: trace.logPiTrace, logQ: trace.logQTrace)
    // [E6] log rho_k = log acc_k + [E5]; both terms are < +infinity, so the sum is never NaN.
    return logAnswer + logRatio
}

/// The log importance weights `log rho_k` of one question's K traces ([E3], [E5], [E6]).
/// - Parameters:
///   - traces: the question's traces, `[K]`.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
///   - normalization: how the trace ratio enters ([E5]).
/// - Returns: `log rho_k`, `[K]`.
/// - Throws: `ObjectiveError` naming the trace (and token) of the first invalid value.
public func logImportanceWeights(
    _ traces: [TraceEvidence], estimator: Estimator, normalization: TraceNormalization = .perToken
) throws(ObjectiveError) -> [Double] {
    var logWeights: [Double] = []
    logWeights.reserveCapacity(traces.count)
    for (index, trace) in traces.enumerated() {
        do {
            logWeights.append(try logImportanceWeight(trace, estimator: estimator, normalization: normalization))
        } catch {
            throw error.inTrace(index)
        }
    }
    return logWeights
}

/// The self-normalised weights `rhoTilde_k` of one question's traces ([E4] applied to [E5], [E6]).
/// - Parameters:
///   - traces: the question's traces, `[K]`.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
///   - normalization: how the trace ratio enters ([E5]).
/// - Returns: weights that sum to 1, or all zero with `hasUsableTrace == false`; see `normalizedWeights(logWeights:)`.
/// - Throws: `ObjectiveError` naming the trace (and token) of the first invalid value.
public func normalizedWeights(
    traces: [TraceEvidence], estimator: Estimator, normalization: TraceNormalization = .perToken
) throws(ObjectiveError) -> NormalizedWeights {
    normalizedWeights(logWeights: try logImportanceWeights(traces, estimator: estimator, normalization: normalization))
}

/// The self-normalised weights of every question of a batch, each normalised over its own traces ([E4]).
/// - Parameters:
///   - questions: for each question, its traces.
///   - estimator: how `pi(Y_x | x, z_k)` is estimated ([E6]).
///   - normalization: how the trace ratio enters ([E5]).
/// - Returns: one `NormalizedWeights` per question.
/// - Throws: `ObjectiveError` naming the question, trace and token of the first invalid value.
public func normalizedWeights(
    questions: [[TraceEvidence]], estimator: Estimator, normalization: TraceNormalization = .perToken
) throws(ObjectiveError) -> [NormalizedWeights] {
    var results: [NormalizedWeights] = []
    results.reserveCapacity(questions.count)
    for (index, traces) in questions.enumerated() {
        do {
            results.append(try normalizedWeights(traces: traces, estimator: estimator, normalization: normalization))
        } catch {
            throw error.inQuestion(index)
        }
    }
    return results
}
