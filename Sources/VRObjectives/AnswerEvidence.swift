// What is known about a trace's answer: sampled-and-verified answers (Acc) or reference log-probs ([E6]).

/// The evidence from which an estimator computes `pi(Y_x | x, z_k)` ([E6]).
public enum AnswerEvidence: Sendable, Equatable {
    /// `total` answers were sampled from `pi(y | x, z_k)` and `correct` of them passed the verifier (Acc).
    ///
    /// - Precondition: `0 <= correct <= total` and `total > 0` (checked; violations throw).
    case sampled(correct: Int, total: Int)
    /// Per-token `log pi(y_t | x, z_k, y_<t)` of the reference answer, teacher-forced (GML and L).
    ///
    /// `-infinity` means a token of probability zero and gives the trace weight zero.
    case referenceLogProbs([Double])
}
