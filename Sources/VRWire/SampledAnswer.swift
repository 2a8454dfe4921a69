// One answer sampled after a finished trace, with its behaviour log-probs and verdict (rollout.proto
// `SampledAnswer`).

/// An answer `y ~ pi(y | x, z)` a worker sampled after a trace and checked with the verifier.
///
/// Token ids index the model vocabulary; log-probs are natural logarithms (nats).
public struct SampledAnswer: Sendable, Equatable, Codable {
    /// The answer's tokens after the opened solution, ending with the end-of-solution marker unless the length
    /// limit cut it off.
    public var tokenIDs: [Int32]
    /// Log-probs of the model that sampled it, one per token.
    public var behaviourLogProbs: [Float]
    /// Whether the verifier accepted it; an answer cut off by the length limit never is.
    public var isCorrect: Bool

    /// Creates an answer.
    /// - Precondition: `behaviourLogProbs.count == tokenIDs.count` (checked by the receiver).
    /// - Parameters:
    ///   - tokenIDs: the answer's tokens.
    ///   - behaviourLogProbs: the sampling model's log-probs, one per token.
    ///   - isCorrect: the verifier's verdict.
    public init(tokenIDs: [Int32], behaviourLogProbs: [Float], isCorrect: Bool) {
        self.tokenIDs = tokenIDs
        self.behaviourLogProbs = behaviourLogProbs
        self.isCorrect = isCorrect
    }
}

// MARK: - Wire conversion

extension SampledAnswer {
    init(wire: Vr_V1_SampledAnswer, at place: String, validator: WireValidator) throws(WireError) {
        guard wire.behaviourLogProbs.count == wire.tokenIds.count else {
            throw WireError(
                .inconsistentBatch,
                "\(place): \(wire.behaviourLogProbs.count) behaviour_log_probs for \(wire.tokenIds.count) "
                    + "token_ids; there must be one per answer token")
        }
        self.init(
            tokenIDs: try validator.tokenIDs(wire.tokenIds, "token_ids", at: place),
            behaviourLogProbs: try validator.logProbs(
                wire.behaviourLogProbs, "behaviour_log_probs", at: place, allowsNegativeInfinity: false),
            isCorrect: wire.correct)
    }

    var wire: Vr_V1_SampledAnswer {
        var wire = Vr_V1_SampledAnswer()
        wire.tokenIds = tokenIDs
        wire.behaviourLogProbs = behaviourLogProbs
        wire.correct = isCorrect
        return wire
    }
}
