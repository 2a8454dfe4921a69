// One sampled thinking trace with its tokens, behaviour log-probs and sampled answers (rollout.proto `TraceRecord`).

/// A thinking trace `z` sampled for one question, as a worker reports it.
///
/// Token ids index the model vocabulary; log-probs are natural logarithms (nats).
public struct TraceRecord: Sendable, Equatable {
    /// The prompt the trace was sampled under (with the hint in the model phase), token ids.
    public var promptTokenIDs: [Int32]
    /// The sampled thinking trace `z`, token ids, `[T]`; a finished trace ends with the marker that stopped it,
    /// which belongs to `z` ([E5]).
    public var traceTokenIDs: [Int32]
    /// Log-probs of the sampling policy per trace token, end marker included, `[T]`: `logQ` in the model phase,
    /// `logPi` in the posterior phase, computed with ``RolloutBatch/samplingParameterVersion``.
    public var behaviourLogProbs: [Float]
    /// True if sampling stopped at the length limit rather than at the end marker.
    public var isTruncated: Bool
    /// The evidence for `pi(Y_x | x, z)`: the answers sampled after the trace and their verdicts.
    public var sampledAnswers: SampledAnswers

    /// Creates a trace record.
    /// - Precondition: `behaviourLogProbs.count == traceTokenIDs.count` (checked by the receiver).
    /// - Parameters:
    ///   - promptTokenIDs: the prompt, token ids.
    ///   - traceTokenIDs: the sampled trace, token ids.
    ///   - behaviourLogProbs: sampling-policy log-probs, one per trace token.
    ///   - isTruncated: whether sampling stopped at the length limit.
    ///   - sampledAnswers: the answers sampled after the trace.
    public init(
        promptTokenIDs: [Int32], traceTokenIDs: [Int32], behaviourLogProbs: [Float], isTruncated: Bool = false,
        sampledAnswers: SampledAnswers
    ) {
        self.promptTokenIDs = promptTokenIDs
        self.traceTokenIDs = traceTokenIDs
        self.behaviourLogProbs = behaviourLogProbs
        self.isTruncated = isTruncated
        self.sampledAnswers = sampledAnswers
    }

    /// Tokens in the prompt, trace and sampled answers together.
    public var tokenCount: Int { promptTokenIDs.count + traceTokenIDs.count + sampledAnswers.tokenCount }
}

// MARK: - Wire conversion

extension TraceRecord {
    init(wire: Vr_V1_TraceRecord, at place: String, validator: WireValidator) throws(WireError) {
        let tokenCount =
            wire.promptTokenIds.count + wire.traceTokenIds.count
            + wire.sampledAnswers.answers.reduce(0) { $0 + $1.tokenIds.count }
        _ = try validator.count(tokenCount, "\(place): token count", in: 0...validator.limits.maxTokensPerTrace)
        guard wire.behaviourLogProbs.count == wire.traceTokenIds.count else {
            throw WireError(
                .inconsistentBatch,
                "\(place): \(wire.behaviourLogProbs.count) behaviour_log_probs for "
                    + "\(wire.traceTokenIds.count) trace_token_ids; there must be one per trace token")
        }
        guard wire.hasSampledAnswers else { throw WireError(.missingField, "\(place): sampled_answers is missing") }
        self.init(
            promptTokenIDs: try validator.tokenIDs(wire.promptTokenIds, "prompt_token_ids", at: place),
            traceTokenIDs: try validator.tokenIDs(wire.traceTokenIds, "trace_token_ids", at: place),
            behaviourLogProbs: try validator.logProbs(
                wire.behaviourLogProbs, "behaviour_log_probs", at: place, allowsNegativeInfinity: false),
            isTruncated: wire.truncated,
            sampledAnswers: try SampledAnswers(wire: wire.sampledAnswers, at: place, validator: validator))
    }

    var wire: Vr_V1_TraceRecord {
        var wire = Vr_V1_TraceRecord()
        wire.promptTokenIds = promptTokenIDs
        wire.traceTokenIds = traceTokenIDs
        wire.behaviourLogProbs = behaviourLogProbs
        wire.truncated = isTruncated
        wire.sampledAnswers = sampledAnswers.wire
        return wire
    }
}
