// Per-sample weights of the baselines the paper analyses: RFT, binary-reward RL and GRPO ([E11], [E12]).
//
// Legend: K samples (trace + answer) per question, r_i in {0, 1} the verifier's reward of sample i.
// Every weight below multiplies grad log pi(z_i, y_i | x) in a Monte-Carlo gradient over the K samples.

/// The default GRPO advantage epsilon, 1e-6 as in verl (TRL uses 1e-4).
///
/// It only matters when the group's standard deviation is tiny; then a single odd reward would get an
/// enormous advantage.
public let grpoDefaultEpsilon = 1e-6

/// RFT weights: keep the correct samples of a fixed reference model, each once ([E11]).
///
/// ```
/// w_i = 1{sample i correct} / K
/// ```
/// RFT's data set holds every correct sample once (weight 1); dividing by the K samples drawn per
/// question makes the sum the Monte-Carlo estimate of the paper's `E_{pi_ref}[1{correct} grad log pi]`,
/// whose total weight is `P_ref(Y_x | x)`.
/// - Parameter correct: the verifier's verdict on each of the K samples.
/// - Returns: `[K]` weights summing to the empirical accuracy; `[]` for an empty group.
public func rftWeights(correct: [Bool]) -> [Double] {
    rftWeights(accuracies: correct.map { $0 ? 1 : 0 })
}

/// RFT trace weights when n answers follow each of the K traces: every (trace, answer) pair is one sample of
/// the reference model, so a trace's weight is the share of its pairs kept ([E11]).
///
/// ```
/// w_k = acc_k / K,   acc_k = (answers after trace k verified correct) / n
/// ```
/// With one answer per trace this is `rftWeights(correct:)`; the answer part of trace k is then averaged over
/// its correct answers, as in [E7].
/// - Parameter accuracies: acc_k of each of the K traces, in 0...1.
/// - Returns: `[K]` weights summing to the mean accuracy; `[]` for an empty group.
public func rftWeights(accuracies: [Double]) -> [Double] {
    let count = Double(accuracies.count)
    return accuracies.map { $0 / count }
}

/// Binary-reward RL weights: REINFORCE with a 0/1 reward on samples of the current model ([E11]).
///
/// ```
/// w_i = r_i / K,   r_i in {0, 1}
/// ```
/// Numerically identical to `rftWeights`; the difference is where the samples come from (the current
/// `pi_theta` instead of a fixed reference), so the per-question weight is `P_theta` instead of `P_ref`.
/// A mean baseline `(r_i - mean r) / K` changes the variance but not this weight (see `effectiveWeight`).
/// - Parameter correct: the reward of each of the K samples as a verdict.
/// - Returns: `[K]` weights summing to the empirical accuracy; `[]` for an empty group.
public func binaryRewardWeights(correct: [Bool]) -> [Double] {
    rftWeights(correct: correct)
}

/// GRPO group advantages: rewards centred by the group mean and scaled by the group's standard deviation ([E12]).
///
/// ```
/// A_i = (r_i - mean(r)) / (std(r) + epsilon),   std(r) = sqrt((1/K) sum_i (r_i - mean(r))^2)
/// ```
/// The population (1/K) standard deviation is used, as in the paper's analysis; implementations that use
/// the unbiased 1/(K-1) form scale every advantage by `sqrt((K-1)/K)`. A group whose rewards are all
/// equal (all correct or all wrong) has advantages exactly 0, whatever epsilon is.
/// - Parameters:
///   - rewards: the reward of each of the K samples, finite (0/1 in the analysis).
///   - epsilon: added to the standard deviation; finite and non-negative.
/// - Returns: `[K]` advantages summing to 0.
/// - Throws: `ObjectiveError.nonFiniteValue` naming the sample, or `.invalidParameter` for a bad epsilon.
public func grpoAdvantages(
    rewards: [Double], epsilon: Double = grpoDefaultEpsilon
) throws(ObjectiveError)
    -> [Double]
{
    guard epsilon.isFinite, epsilon >= 0 else {
        throw .invalidParameter("the GRPO epsilon must be finite and non-negative, got \(epsilon)")
    }
    for (index, reward) in rewards.enumerated() {
        if let kind = NonFiniteKind(reward) {
            throw .nonFiniteValue(kind, field: .reward, at: EvidenceLocation(trace: index))
        }
    }
    // A constant group carries no signal; testing it directly avoids dividing rounding noise by itself.
    guard let smallest = rewards.min(), let largest = rewards.max(), smallest < largest else {
        return Array(repeating: 0, count: rewards.count)
    }
    let mean = LogSpace.mean(rewards)
    let variance = LogSpace.mean(rewards.map { ($0 - mean) * ($0 - mean) })
    let scale = variance.squareRoot() + epsilon
    return rewards.map { ($0 - mean) / scale }
}

/// GRPO per-sample weights for 0/1 rewards: the advantages averaged over the group ([E12]).
///
/// ```
/// w_i = A_i / K
/// ```
/// GRPO's loss averages the advantage-weighted log-probabilities over the K samples of a group.
/// - Parameters:
///   - correct: the verifier's verdict on each of the K samples (reward 1 or 0).
///   - epsilon: added to the standard deviation; finite and non-negative.
/// - Returns: `[K]` weights summing to 0.
/// - Throws: `ObjectiveError.invalidParameter` for a bad epsilon.
public func grpoWeights(correct: [Bool], epsilon: Double = grpoDefaultEpsilon) throws(ObjectiveError) -> [Double] {
    let advantages = try grpoAdvantages(rewards: correct.map { $0 ? 1 : 0 }, epsilon: epsilon)
    let count = Double(correct.count)
    return advantages.map { $0 / count }
}
