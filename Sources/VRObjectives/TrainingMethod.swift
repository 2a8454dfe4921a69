// The four methods the paper compares and the closed-form weight each gives a question ([E11], [E12]).

/// A training method, for comparing the weight it gives each question ([E11], [E12]).
public enum TrainingMethod: Sendable, Equatable {
    /// Rejection-sampling fine-tuning: SFT on the correct samples of a fixed reference model ([E11]).
    case rft
    /// Binary-reward RL: REINFORCE with a 0/1 reward on samples of the current model ([E11]).
    case binaryReward
    /// GRPO with 0/1 rewards and std-normalised group advantages ([E12]).
    case grpo(epsilon: Double = grpoDefaultEpsilon)
    /// The variational method: self-normalised weights over K traces per question ([E4]).
    case variational

    /// The total weight the method puts on a question of accuracy P, in the direction of the posterior
    /// `E_{pi(z|x,Y_x)}[grad log pi(z|x)]` (the "effective weight"; derivation in docs/math.md).
    ///
    /// ```
    /// rft, binaryReward:  P
    /// grpo:               P / (sqrt(P (1 - P)) + epsilon)  -> sqrt(P / (1 - P)) as epsilon -> 0,  for 0 < P < 1
    ///                     0 for P in {0, 1} (a constant group has zero advantages)
    /// variational:        1 for P > 0 (the weights of a question sum to 1), 0 for P = 0 (no usable trace)
    /// ```
    /// The first three grow with P, a bias toward easy questions; the variational weight does not.
    /// - Parameter accuracy: P, in `[0, 1]`.
    /// - Returns: the effective weight.
    /// - Throws: `ObjectiveError.nonFiniteValue` or `.valueOutOfRange` for an invalid accuracy,
    ///   `.invalidParameter` for a negative or non-finite GRPO epsilon.
    public func effectiveWeight(accuracy: Double) throws(ObjectiveError) -> Double {
        try InputValidation.checkUnitInterval([accuracy], field: .accuracy)
        switch self {
        case .rft, .binaryReward:
            // [E11] the z-part of the gradient is P times the forward-KL gradient toward the posterior.
            return accuracy
        case .grpo(let epsilon):
            guard epsilon.isFinite, epsilon >= 0 else {
                throw .invalidParameter("the GRPO epsilon must be finite and non-negative, got \(epsilon)")
            }
            guard accuracy > 0, accuracy < 1 else { return 0 }
            // [E12] sqrt(P / (1 - P)) = P / sqrt(P (1 - P)), with GRPO's epsilon on the std.
            return accuracy / ((accuracy * (1 - accuracy)).squareRoot() + epsilon)
        case .variational:
            // [E4] rhoTilde sums to 1 over the question's traces whenever one is usable.
            return accuracy > 0 ? 1 : 0
        }
    }
}
