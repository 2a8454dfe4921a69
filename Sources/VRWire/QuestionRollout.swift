// All traces of one assigned question inside a rollout batch (rollout.proto `QuestionRollout`).

import VRCore

/// The M or K traces a worker sampled for one question, which the learner normalises together.
public struct QuestionRollout: Sendable, Equatable {
    /// The id from ``QuestionAssignment/questionID``.
    public var questionID: String
    /// The phase from the assignment.
    public var phase: RolloutPhase
    /// The question's traces, at least 1.
    public var traces: [TraceRecord]

    /// Creates the rollout of one question.
    /// - Parameters:
    ///   - questionID: the assigned question's id.
    ///   - phase: the assigned phase.
    ///   - traces: the traces, at least 1.
    public init(questionID: String, phase: RolloutPhase, traces: [TraceRecord]) {
        self.questionID = questionID
        self.phase = phase
        self.traces = traces
    }
}

// MARK: - Wire conversion

extension QuestionRollout {
    init(wire: Vr_V1_QuestionRollout, index: Int, validator: WireValidator) throws(WireError) {
        let questionID = try validator.identifier(wire.questionID, "questions[\(index)].question_id")
        let place = "question \(index) (\"\(questionID)\")"
        _ = try validator.count(
            wire.traces.count, "\(place): trace count", in: 1...validator.limits.maxTracesPerQuestion)
        var traces: [TraceRecord] = []
        traces.reserveCapacity(wire.traces.count)
        for (traceIndex, trace) in wire.traces.enumerated() {
            traces.append(try TraceRecord(wire: trace, at: "\(place), trace \(traceIndex)", validator: validator))
        }
        self.init(questionID: questionID, phase: try validator.phase(wire.phase, "\(place): phase"), traces: traces)
    }

    var wire: Vr_V1_QuestionRollout {
        var wire = Vr_V1_QuestionRollout()
        wire.questionID = questionID
        wire.phase = phase.wire
        wire.traces = traces.map(\.wire)
        return wire
    }
}
