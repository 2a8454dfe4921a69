// The answer evidence of a trace: sampled-and-verified answers (Acc) or reference-answer log-probs (GML).

extension TraceRecord {
    /// What the worker measured about `pi(Y_x | x, z)` for a trace.
    public enum AnswerEvidence: Sendable, Equatable {
        /// `answerCount` answers were sampled after the trace and `correctCount` passed the verifier (Acc);
        /// `answers` holds them (none when only the counts are reported, as after a truncated trace).
        ///
        /// - Precondition: `0 <= correctCount <= answerCount`, `answerCount >= 1`, and `answers` is empty or has
        ///   `answerCount` elements of which `correctCount` are correct (checked by the receiver).
        case sampled(correctCount: Int, answerCount: Int, answers: [SampledAnswer] = [])
        /// `log pi(y_t | x, z, y_<t)` per reference-answer token, teacher-forced (GML), one per
        /// ``TraceRecord/answerTokenIDs``; `-infinity` (probability zero) is allowed, NaN is not.
        case referenceLogProbs([Float])
    }
}

// MARK: - Wire conversion

extension TraceRecord.AnswerEvidence {
    init(
        wire: Vr_V1_TraceRecord.OneOf_AnswerEvidence, answerTokenCount: Int, at place: String,
        validator: WireValidator
    ) throws(WireError) {
        switch wire {
        case .sampledAnswers(let sampled):
            let answerCount = try validator.count(
                sampled.answerCount, "\(place): sampled_answers.answer_count",
                in: 1...validator.limits.maxSampledAnswers)
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
            self = .sampled(correctCount: Int(sampled.correctCount), answerCount: answerCount, answers: answers)
        case .referenceAnswer(let reference):
            guard reference.logProbs.count == answerTokenCount else {
                throw WireError(
                    .inconsistentBatch,
                    "\(place): \(reference.logProbs.count) reference_answer.log_probs for \(answerTokenCount) "
                        + "answer_token_ids; there must be one per answer token")
            }
            self = .referenceLogProbs(
                try validator.logProbs(
                    reference.logProbs, "reference_answer.log_probs", at: place, allowsNegativeInfinity: true))
        }
    }

    var wire: Vr_V1_TraceRecord.OneOf_AnswerEvidence {
        switch self {
        case .sampled(let correctCount, let answerCount, let answers):
            var sampled = Vr_V1_SampledAnswers()
            sampled.correctCount = UInt32(clamping: correctCount)
            sampled.answerCount = UInt32(clamping: answerCount)
            sampled.answers = answers.map(\.wire)
            return .sampledAnswers(sampled)
        case .referenceLogProbs(let logProbs):
            var reference = Vr_V1_ReferenceAnswerScore()
            reference.logProbs = logProbs
            return .referenceAnswer(reference)
        }
    }
}
