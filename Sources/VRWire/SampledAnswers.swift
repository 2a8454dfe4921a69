// The answers sampled after one trace and the verifier's verdicts (rollout.proto `SampledAnswers`).

/// What a worker measured about `pi(Y_x | x, z)` for a trace: `answerCount` answers sampled after it, of which
/// `correctCount` passed the verifier (Acc), and the answers themselves when the learner trains on them.
public struct SampledAnswers: Sendable, Equatable {
    /// Answers the verifier accepted, `0...answerCount`.
    public var correctCount: Int
    /// Answers sampled, at least 1.
    public var answerCount: Int
    /// The answers, in sampling order: none (only the counts, as after a truncated trace) or `answerCount` of
    /// them, `correctCount` marked correct.
    public var answers: [SampledAnswer]

    /// Creates the evidence of one trace.
    /// - Precondition: `0 <= correctCount <= answerCount`, `answerCount >= 1`, and `answers` is empty or has
    ///   `answerCount` elements of which `correctCount` are correct (checked by the receiver).
    /// - Parameters:
    ///   - correctCount: answers the verifier accepted.
    ///   - answerCount: answers sampled.
    ///   - answers: the answers themselves, or none.
    public init(correctCount: Int, answerCount: Int, answers: [SampledAnswer] = []) {
        self.correctCount = correctCount
        self.answerCount = answerCount
        self.answers = answers
    }

    /// Tokens in the answers.
    public var tokenCount: Int { answers.reduce(0) { $0 + $1.tokenIDs.count } }
}

// MARK: - Wire conversion

extension SampledAnswers {
    init(wire sampled: Vr_V1_SampledAnswers, at place: String, validator: WireValidator) throws(WireError) {
        let answerCount = try validator.count(
            sampled.answerCount, "\(place): sampled_answers.answer_count", in: 1...validator.limits.maxSampledAnswers)
        guard sampled.correctCount <= sampled.answerCount else {
            throw WireError(
                .inconsistentBatch,
                "\(place): sampled_answers.correct_count \(sampled.correctCount) exceeds answer_count "
                    + "\(sampled.answerCount)")
        }
        var answers: [SampledAnswer] = []
        if !sampled.answers.isEmpty {
            guard sampled.answers.count == answerCount else {
                throw WireError(
                    .inconsistentBatch,
                    "\(place): \(sampled.answers.count) sampled_answers.answers for answer_count \(answerCount); "
                        + "send none or all of them")
            }
            for (index, answer) in sampled.answers.enumerated() {
                answers.append(
                    try SampledAnswer(
                        wire: answer, at: "\(place), sampled_answers.answers[\(index)]", validator: validator))
            }
            let verified = answers.count(where: \.isCorrect)
            guard verified == sampled.correctCount else {
                throw WireError(
                    .inconsistentBatch,
                    "\(place): \(verified) sampled_answers.answers are marked correct but correct_count is "
                        + "\(sampled.correctCount)")
            }
        }
        self.init(correctCount: Int(sampled.correctCount), answerCount: answerCount, answers: answers)
    }

    var wire: Vr_V1_SampledAnswers {
        var wire = Vr_V1_SampledAnswers()
        wire.correctCount = UInt32(clamping: correctCount)
        wire.answerCount = UInt32(clamping: answerCount)
        wire.answers = answers.map(\.wire)
        return wire
    }
}
