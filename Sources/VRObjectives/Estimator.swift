// The three estimators of pi(Y_x | x, z_k) from the paper: Acc, GML and L ([E6]).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How `pi(Y_x | x, z_k)`, the probability that trace `z_k` leads to a correct answer, is estimated ([E6]).
public enum Estimator: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Acc: the fraction of `n` sampled answers that the verifier accepts (the paper's preferred choice).
    case accuracy
    /// GML: the geometric mean of the reference answer's token probabilities (no verifier needed).
    case geometricMeanLikelihood
    /// L: the product of the reference answer's token probabilities (length-biased; ablation only).
    case likelihood

    /// The paper's short name: `Acc`, `GML` or `L`.
    public var description: String {
        switch self {
        case .accuracy: "Acc"
        case .geometricMeanLikelihood: "GML"
        case .likelihood: "L"
        }
    }

    /// The log of the estimate of `pi(Y_x | x, z_k)` from one trace's answer evidence ([E6]).
    ///
    /// ```
    /// Acc: log(correct / total)          (-infinity when correct == 0: the zero-weight rule)
    /// GML: (1/|y|) sum_t log pi(y_t | x, z, y_<t)
    /// L:   sum_t log pi(y_t | x, z, y_<t)
    /// ```
    /// - Parameter answer: the evidence; `.sampled` for Acc, `.referenceLogProbs` for GML and L.
    /// - Returns: a finite value or `-infinity` (probability zero); never NaN.
    /// - Throws: `ObjectiveError.estimatorMismatch` for the wrong evidence kind, `.invalidAnswerCounts`,
    ///   `.emptyReferenceAnswer`, `.nonFiniteValue` for NaN or `+infinity` in the reference log-probs, or
    ///   `.valueOutOfRange` for a positive one.
    public func logAnswerProbability(_ answer: AnswerEvidence) throws(ObjectiveError) -> Double {
        switch (self, answer) {
        case (.accuracy, .sampled(let correct, let total)):
            guard total > 0, (0...total).contains(correct) else {
                throw .invalidAnswerCounts(correct: correct, total: total, at: EvidenceLocation())
            }
            // [E6] Acc zero-weight rule: no verified answer gives log 0 = -infinity, i.e. weight 0.
            return correct == 0 ? -.infinity : log(Double(correct) / Double(total))
        case (.geometricMeanLikelihood, .referenceLogProbs(let logProbs)),
            (.likelihood, .referenceLogProbs(let logProbs)):
            guard !logProbs.isEmpty else { throw .emptyReferenceAnswer(at: EvidenceLocation()) }
            try InputValidation.checkLogValues(logProbs, field: .referenceAnswer, allowNegativeInfinity: true)
            // Values <= 0 (up to rounding) cannot sum to NaN or +infinity.
            let logLikelihood = logProbs.reduce(0, +)
            // [E6] GML is the per-token mean, L the sum.
            return self == .likelihood ? logLikelihood : logLikelihood / Double(logProbs.count)
        default:
            throw .estimatorMismatch(self, at: EvidenceLocation())
        }
    }

    /// The evidence kind this estimator reads, for error messages.
    var requiredEvidence: String {
        self == .accuracy
            ? "sampled answers (.sampled(correct:total:))"
            : "reference-answer log-probabilities (.referenceLogProbs)"
    }
}
