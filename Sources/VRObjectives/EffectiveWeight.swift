// The total weight a set of per-sample weights puts on the posterior direction of one question ([E11], [E12]).

/// The effective weight of one question's per-sample weights: the coefficient of the posterior score.
///
/// Every method's gradient for a question is `sum_i w_i g_i` with `g_i = grad log pi(z_i, y_i | x)`.
/// Replace each `g_i` by the mean score of its class, `gBar_c` over correct samples and `gBar_w` over
/// wrong ones. The score identity `E_pi[grad log pi] = 0` gives `P gBar_c + (1 - P) gBar_w = 0`, so
/// ```
/// sum_i w_i g_i  =  (W_c - W_w P / (1 - P)) gBar_c,   W_c = sum_{correct} w_i,  W_w = sum_{wrong} w_i
/// ```
/// and `gBar_c` estimates `E_{pi(z|x,Y)}[grad log pi]`, the forward-KL direction toward the posterior.
/// The coefficient is the question's effective weight: `P` for RFT and binary RL, `sqrt(P / (1 - P))` for
/// GRPO ([E11], [E12]); for variational weights (all on correct traces) it is their sum, 1.
/// With P the empirical accuracy `c / K`; 0 when no sample is correct, `W_c` when all are.
/// - Parameters:
///   - sampleWeights: `w_i`, `[K]`, finite.
///   - correct: the verdict on each sample, `[K]`.
/// - Returns: the effective weight `W_c - W_w c / (K - c)`.
/// - Throws: `ObjectiveError.invalidParameter` for unequal lengths, `.nonFiniteValue` for a bad weight.
public func effectiveWeight(sampleWeights: [Double], correct: [Bool]) throws(ObjectiveError) -> Double {
    guard sampleWeights.count == correct.count else {
        throw .invalidParameter("\(sampleWeights.count) sample weights for \(correct.count) verdicts")
    }
    for (index, weight) in sampleWeights.enumerated() {
        if let kind = NonFiniteKind(weight) {
            throw .nonFiniteValue(kind, field: .weight, at: EvidenceLocation(trace: index))
        }
    }
    let correctCount = correct.count { $0 }
    let wrongCount = correct.count - correctCount
    guard correctCount > 0 else { return 0 }
    var correctWeight = 0.0
    var wrongWeight = 0.0
    for (weight, isCorrect) in zip(sampleWeights, correct) {
        if isCorrect { correctWeight += weight } else { wrongWeight += weight }
    }
    // gBar_w = -P / (1 - P) gBar_c with P = c / K, so P / (1 - P) = c / (K - c).
    return wrongCount == 0 ? correctWeight : correctWeight - wrongWeight * Double(correctCount) / Double(wrongCount)
}
