// One question of a work assignment (rollout.proto `QuestionAssignment`).

import VRCore

/// A question to sample traces for, with its phase and the number of traces wanted.
public struct QuestionAssignment: Sendable, Equatable {
    /// The question's id in the shared task dataset (for example `"addition/train/12"`).
    public var questionID: String
    /// Which model to sample from, and whether the prompt carries the hint.
    public var phase: RolloutPhase
    /// Traces to sample for the question (M in the posterior phase, K in the model phase), at least 1.
    public var traceCount: Int
    /// Which model samples the traces, and from which prompt; always `.reasoningModel` in the posterior phase.
    public var proposal: TraceProposal
    /// Which parameters sample the answers after each trace; always `.reasoningModel` in the posterior phase.
    public var answerModel: AnswerModel

    /// Creates a question assignment.
    /// - Parameters:
    ///   - questionID: the question's id in the shared task dataset.
    ///   - phase: which model to sample from.
    ///   - traceCount: traces to sample, at least 1.
    ///   - proposal: the model-phase proposal; nil for the phase's standard one.
    ///   - answerModel: the parameters that sample the answers.
    public init(
        questionID: String, phase: RolloutPhase, traceCount: Int, proposal: TraceProposal? = nil,
        answerModel: AnswerModel = .reasoningModel
    ) {
        self.questionID = questionID
        self.phase = phase
        self.traceCount = traceCount
        self.proposal = proposal ?? .standard(for: phase)
        self.answerModel = answerModel
    }
}

// MARK: - Wire conversion

extension QuestionAssignment {
    init(wire: Vr_V1_QuestionAssignment, at place: String, validator: WireValidator) throws(WireError) {
        let phase = try validator.phase(wire.phase, "\(place).phase")
        self.init(
            questionID: try validator.identifier(wire.questionID, "\(place).question_id"), phase: phase,
            traceCount: try validator.count(
                wire.traceCount, "\(place).trace_count", in: 1...validator.limits.maxTracesPerQuestion),
            proposal: try validator.proposal(wire.proposal, phase: phase, "\(place).proposal"),
            answerModel: try validator.answerModel(wire.answerModel, phase: phase, "\(place).answer_model"))
    }

    var wire: Vr_V1_QuestionAssignment {
        var wire = Vr_V1_QuestionAssignment()
        wire.questionID = questionID
        wire.phase = phase.wire
        wire.traceCount = UInt32(clamping: traceCount)
        wire.proposal = proposal.wire
        wire.answerModel = answerModel.wire
        return wire
    }
}
