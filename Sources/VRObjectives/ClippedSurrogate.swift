// GRPO's per-token policy-gradient weights: PPO's clipped importance ratio against the behaviour policy, and an
// optional KL penalty toward a fixed reference model (the k3 estimator).
//
// Legend: for one completion with advantage A and tokens t,
//   r_t = exp(logPi_t - logBehaviour_t)                       the ratio to the policy that sampled the token
//   J   = sum_t min(r_t A, clip(r_t, 1 - eps, 1 + eps) A)      PPO's clipped surrogate, ascended
//         - beta sum_t (exp(d_t) - d_t - 1),  d_t = logRef_t - logPi_t   the k3 estimate of KL(pi || ref)
//   dJ / dlogPi_t = r_t A 1{unclipped} + beta (exp(d_t) - 1)   the weight of token t in [E10]'s weighted SFT

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Settings of GRPO's update: the clip range of the importance ratio and the weight of the KL penalty.
public struct ClippedSurrogate: Sendable, Equatable, Codable {
    /// eps: the ratio is clipped to [1 - eps, 1 + eps]; > 0.
    public var clipRange: Double
    /// beta: the weight of the KL penalty toward the reference model; 0 turns it off.
    public var klCoefficient: Double

    /// The usual values: clip range 0.2, no KL penalty.
    public static let standard = ClippedSurrogate(clipRange: 0.2, klCoefficient: 0)

    /// Creates settings.
    /// - Parameters:
    ///   - clipRange: eps, > 0.
    ///   - klCoefficient: beta, >= 0.
    public init(clipRange: Double, klCoefficient: Double) {
        self.clipRange = clipRange
        self.klCoefficient = klCoefficient
    }

    /// Checks the settings.
    /// - Throws: `ObjectiveError.invalidParameter` naming the bad value.
    public func validate() throws(ObjectiveError) {
        guard clipRange.isFinite, clipRange > 0 else {
            throw .invalidParameter("the clip range must be finite and > 0, got \(clipRange)")
        }
        guard klCoefficient.isFinite, klCoefficient >= 0 else {
            throw .invalidParameter("the KL coefficient must be finite and >= 0, got \(klCoefficient)")
        }
    }

    /// The gradient of the surrogate with respect to each token's log-probability, the weight of that token.
    ///
    /// A token whose ratio has left the clip range in the direction its advantage pushes gets no policy-gradient
    /// weight, so a stale batch cannot move pi further than `eps` from the policy that sampled it.
    /// - Parameters:
    ///   - advantage: A, the completion's group-normalised advantage.
    ///   - logPi: log pi of each token under the current parameters.
    ///   - logBehaviour: log-probs of the policy that sampled each token.
    ///   - logReference: log-probs of the reference model, one per token; needed when `klCoefficient > 0`.
    /// - Returns: one weight per token.
    /// - Throws: `ObjectiveError` for bad settings, mismatched lengths, or values that are not finite.
    public func tokenWeights(
        advantage: Double, logPi: [Double], logBehaviour: [Double], logReference: [Double]?
    ) throws(ObjectiveError) -> [Double] {
        try validate()
        guard logBehaviour.count == logPi.count else {
            throw .invalidParameter("\(logBehaviour.count) behaviour log-probs for \(logPi.count) tokens")
        }
        if let kind = NonFiniteKind(advantage) {
            throw .nonFiniteValue(kind, field: .weight, at: EvidenceLocation())
        }
        try InputValidation.checkLogValues(logPi, field: .logPiTrace, allowNegativeInfinity: false)
        try InputValidation.checkLogValues(logBehaviour, field: .logQTrace, allowNegativeInfinity: false)
        var reference: [Double] = []
        if klCoefficient > 0 {
            guard let logReference, logReference.count == logPi.count else {
                throw .invalidParameter(
                    "the KL penalty needs one reference log-prob per token, got \(logReference?.count ?? 0) for "
                        + "\(logPi.count)")
            }
            try InputValidation.checkLogValues(logReference, field: .logPiTrace, allowNegativeInfinity: false)
            reference = logReference
        }
        return logPi.indices.map { token in
            let ratio = exp(logPi[token] - logBehaviour[token])
            let isClipped =
                (advantage > 0 && ratio > 1 + clipRange) || (advantage < 0 && ratio < 1 - clipRange)
            let policyWeight = isClipped ? 0 : ratio * advantage
            guard klCoefficient > 0 else { return policyWeight }
            return policyWeight + klCoefficient * (exp(reference[token] - logPi[token]) - 1)
        }
    }
}
