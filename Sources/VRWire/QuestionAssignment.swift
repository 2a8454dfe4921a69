// One question of a work assignment (rollout.proto `QuestionAssignment`).

/// A question to sample traces for, with its phase and the number of traces wanted.
public struct QuestionAssignment: Sendable, Equatable {
    /// The question's id in the shared task dataset (for example `"addition/train/12"`).
    public var questionID: String
    /// Which model to sample from, and whether the prompt carries the hint.
    public var phase: RolloutPhase
    /// Traces to sample for the question (M in the posterior phase, K in the model phase), at least 1.
    public var traceCount: Int

    /// Creates a question assignment.
    /// - Parameters:
    ///   - questionID: the question's id in the shared task dataset.
    ///   - phase: which model to sample from.
    ///   - traceCount: traces to sample, at least 1.
    public init(questionID: String, phase: RolloutPhase, traceCount: Int) {
        self.questionID = questionID
        self.phase = phase
        self.traceCount = traceCount
    }
}

// MARK: - Wire conversion

extension QuestionAssignment {
    init(wire: Vr_V1_QuestionAssignment, at place: String, validator: WireValidator) throws(WireError) {
        self.init(
            questionID: try validator.identifier(wire.questionID, "\(place).question_id"),
            phase: try validator.phase(wire.phase, "\(place).phase"),
            traceCount: try validator.count(
                wire.traceCount, "\(place).trace_count", in: 1...validator.limits.maxTracesPerQuestion))
    }

    var wire: Vr_V1_QuestionAssignment {
        var wire = Vr_V1_QuestionAssignment()
        wire.questionID = questionID
        wire.phase = phase.wire
        wire.traceCount = UInt32(clamping: traceCount)
        return wire
    }
}
