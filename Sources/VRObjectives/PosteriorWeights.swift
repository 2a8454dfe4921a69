// Weights of the forward-KL posterior update: prior traces weighted by how often they lead to Y ([E8]).

/// The weights `wTilde_m` of the forward-KL update of q on M traces sampled from the prior pi ([E8]).
///
/// ```
/// w_m = pi^(Y_x | x, z_m)   (Acc by default),   wTilde_m = w_m / sum_j w_j
/// ascend sum_m wTilde_m * grad log q(z_m | x, y')
/// ```
/// No trace ratio enters: the traces come from pi, and the target is the posterior `pi(z | x, Y_x)`.
/// This is the posterior phase of each round of [E9]; the model phase uses `normalizedWeights`.
/// When every `w_m` is 0 (no prior trace reached a correct answer) all weights are 0 and
/// `diagnostics.hasUsableTrace` is false: the question gives q no update.
/// - Parameters:
///   - answers: the answer evidence of each prior trace, `[M]`.
///   - estimator: how `pi(Y_x | x, z_m)` is estimated ([E6]); the paper uses Acc.
/// - Returns: the weights and their diagnostics.
/// - Throws: `ObjectiveError` naming the trace of the first invalid evidence.
public func posteriorWeights(
    answers: [AnswerEvidence], estimator: Estimator = .accuracy
) throws(ObjectiveError)
    -> NormalizedWeights
{
    var logWeights: [Double] = []
    logWeights.reserveCapacity(answers.count)
    for (index, answer) in answers.enumerated() {
        do {
            // [E8] w_m = pi(Y_x | x, z_m), kept in log space so the normalisation is the [E4] softmax.
            logWeights.append(try estimator.logAnswerProbability(answer))
        } catch {
            throw error.inTrace(index)
        }
    }
    return normalizedWeights(logWeights: logWeights)
}

/// The forward-KL posterior weights from precomputed accuracies `w_m` in `[0, 1]` ([E8]).
///
/// ```
/// wTilde_m = w_m / sum_j w_j      (all zero when every w_m is 0)
/// ```
/// - Parameter accuracies: `w_m = pi^(Y_x | x, z_m)` of each prior trace, `[M]`.
/// - Returns: the weights and their diagnostics.
/// - Throws: `ObjectiveError.nonFiniteValue` or `.valueOutOfRange` naming the trace.
public func posteriorWeights(accuracies: [Double]) throws(ObjectiveError) -> NormalizedWeights {
    try InputValidation.checkUnitInterval(accuracies, field: .accuracy)
    let sum = accuracies.reduce(0, +)
    let weights = sum > 0 ? accuracies.map { $0 / sum } : Array(repeating: 0, count: accuracies.count)
    let usableCount = accuracies.count { $0 > 0 }
    let diagnostics = WeightDiagnostics(
        traceCount: accuracies.count, usableCount: usableCount, nonFiniteCount: 0,
        effectiveSampleSize: effectiveSampleSize(weights: weights), maxWeight: weights.max() ?? 0)
    return NormalizedWeights(weights: weights, diagnostics: diagnostics)
}
