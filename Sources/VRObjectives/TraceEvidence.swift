// One sampled thinking trace with its per-token scores under pi and q and its answer evidence.

/// Everything the objectives need to know about one trace `z_k` of one question.
///
/// Both score arrays hold one log-probability per trace token, in order, teacher-forced at temperature 1:
/// `logPiTrace[t] = log pi(z_t | x, z_<t)` under the reasoning prompt and
/// `logQTrace[t] = log q(z_t | x, y', z_<t)` under the hinted posterior prompt.
/// - Precondition: `logPiTrace.count == logQTrace.count` (checked; a mismatch throws).
public struct TraceEvidence: Sendable, Equatable {
    /// Per-token log-probabilities of the trace under the reasoning model pi, `[T]`.
    public var logPiTrace: [Double]
    /// Per-token log-probabilities of the trace under the variational posterior q, `[T]`.
    public var logQTrace: [Double]
    /// The evidence for `pi(Y_x | x, z)`.
    public var answer: AnswerEvidence

    /// Creates the evidence of one trace.
    /// - Parameters:
    ///   - logPiTrace: per-token `log pi` of the trace tokens.
    ///   - logQTrace: per-token `log q` of the same tokens.
    ///   - answer: the answer evidence.
    public init(logPiTrace: [Double], logQTrace: [Double], answer: AnswerEvidence) {
        self.logPiTrace = logPiTrace
        self.logQTrace = logQTrace
        self.answer = answer
    }

    /// The trace length `|z|` in tokens (the length the released code caps).
    public var tokenCount: Int { logPiTrace.count }
}
