// One sampled thinking trace with its tokens, behaviour log-probs and answer evidence (rollout.proto `TraceRecord`).

/// A thinking trace `z` sampled for one question, as a worker reports it.
///
/// Token ids index the model vocabulary; log-probs are natural logarithms (nats).
public struct TraceRecord: Sendable, Equatable {
    /// The prompt the trace was sampled under (with the hint in the model phase), token ids.
    public var promptTokenIDs: [Int32]
    /// The sampled thinking trace `z`, token ids, `[T]`; a finished trace ends with the marker that stopped it,
    /// which belongs to `z` ([E5]).
    public var traceTokenIDs: [Int32]
    /// The reference answer `y'` that follows the trace (end of thought excluded), token ids; the learner scores
    /// its own copy of it for GML and trains on none.
    public var answerTokenIDs: [Int32]
    /// Log-probs of the sampling policy per trace token, end marker included, `[T]`: `logQ` in the model phase,
    /// `logPi` in the posterior phase, computed with ``RolloutBatch/samplingParameterVersion``.
    public var behaviourLogProbs: [Float]
    /// True if sampling stopped at the length limit rather than at the end marker.
    public var isTruncated: Bool
    /// The evidence for `pi(Y_x | x, z)`.
    public var answerEvidence: AnswerEvidence

    /// Creates a trace record.
    /// - Precondition: `behaviourLogProbs.count == traceTokenIDs.count` (checked by the receiver).
    /// - Parameters:
    ///   - promptTokenIDs: the prompt, token ids.
    ///   - traceTokenIDs: the sampled trace, token ids.
    ///   - answerTokenIDs: the reference answer, token ids.
    ///   - behaviourLogProbs: sampling-policy log-probs, one per trace token.
    ///   - isTruncated: whether sampling stopped at the length limit.
    ///   - answerEvidence: the evidence for the answer.
    public init(
        promptTokenIDs: [Int32], traceTokenIDs: [Int32], answerTokenIDs: [Int32], behaviourLogProbs: [Float],
        isTruncated: Bool = false, answerEvidence: AnswerEvidence
    ) {
        self.promptTokenIDs = promptTokenIDs
        self.traceTokenIDs = traceTokenIDs
        self.answerTokenIDs = answerTokenIDs
        self.behaviourLogProbs = behaviourLogProbs
        self.isTruncated = isTruncated
        self.answerEvidence = answerEvidence
    }

    /// Tokens in the prompt, trace, reference answer and sampled answers together.
    public var tokenCount: Int {
        promptTokenIDs.count + traceTokenIDs.count + answerTokenIDs.count + sampledAnswerTokenCount
    }

    /// Tokens in the sampled answers.
    public var sampledAnswerTokenCount: Int {
        guard case .sampled(_, _, let answers) = answerEvidence else { return 0 }
        return answers.reduce(0) { $0 + $1.tokenIDs.count }
    }
}

// MARK: - Wire conversion

extension TraceRecord {
    init(wire: Vr_V1_TraceRecord, at place: String, validator: WireValidator) throws(WireError) {
        var tokenCount = wire.promptTokenIds.count + wire.traceTokenIds.count + wire.answerTokenIds.count
        if case .sampledAnswers(let sampled) = wire.answerEvidence {
            tokenCount += sampled.answers.reduce(0) { $0 + $1.tokenIds.count }
        }
        _ = try validator.count(tokenCount, "\(place): token count", in: 0...validator.limits.maxTokensPerTrace)
        guard wire.behaviourLogProbs.count == wire.traceTokenIds.count else {
            throw WireError(
                .inconsistentBatch,
                "\(place): \(wire.behaviourLogProbs.count) behaviour_log_probs for "
                    + "\(wire.traceTokenIds.count) trace_token_ids; there must be one per trace token")
        }
        guard let evidence = wire.answerEvidence else {
            throw WireError(.missingField, "\(place): answer_evidence is missing (sampled_answers or reference_answer)")
        }
        self.init(
            promptTokenIDs: try validator.tokenIDs(wire.promptTokenIds, "prompt_token_ids", at: place),
            traceTokenIDs: try validator.tokenIDs(wire.traceTokenIds, "trace_token_ids", at: place),
            answerTokenIDs: try validator.tokenIDs(wire.answerTokenIds, "answer_token_ids", at: place),
            behaviourLogProbs: try validator.logProbs(
                wire.behaviourLogProbs, "behaviour_log_probs", at: place, allowsNegativeInfinity: false),
            isTruncated: wire.truncated,
            answerEvidence: try AnswerEvidence(
                wire: evidence, answerTokenCount: wire.answerTokenIds.count, at: place, validator: validator))
    }

    var wire: Vr_V1_TraceRecord {
        var wire = Vr_V1_TraceRecord()
        wire.promptTokenIds = promptTokenIDs
        wire.traceTokenIds = traceTokenIDs
        wire.answerTokenIds = answerTokenIDs
        wire.behaviourLogProbs = behaviourLogProbs
        wire.truncated = isTruncated
        wire.answerEvidence = answerEvidence.wire
        return wire
    }
}
