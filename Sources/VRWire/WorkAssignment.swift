// L -> W: questions to work on, answering a work request (rollout.proto `WorkAssignment`).

import VRCore

/// The learner's answer to a ``WorkRequest``: questions with phases, or none and a time to ask again.
public struct WorkAssignment: Sendable, Equatable {
    /// Longest retry delay the protocol carries: one hour.
    public static let maxRetryAfter = Duration.seconds(3600)

    /// Learner-chosen id, unique per learner instance and at least 1; echoed by ``RolloutBatch/assignmentID``.
    public var assignmentID: UInt64
    /// The learner's parameter version when it assigned the work; sample with this version or newer.
    public var parameterVersion: UInt64
    /// The questions, with distinct ids; empty means "no work now".
    public var questions: [QuestionAssignment]
    /// With no questions: when to ask again (whole milliseconds on the wire); zero otherwise.
    public var retryAfter: Duration

    /// Creates a work assignment.
    /// - Parameters:
    ///   - assignmentID: learner-chosen id, at least 1.
    ///   - parameterVersion: the learner's parameter version when it assigned the work.
    ///   - questions: the questions, with distinct ids; empty for "no work now".
    ///   - retryAfter: with no questions, when to ask again.
    public init(
        assignmentID: UInt64, parameterVersion: UInt64, questions: [QuestionAssignment], retryAfter: Duration = .zero
    ) {
        self.assignmentID = assignmentID
        self.parameterVersion = parameterVersion
        self.questions = questions
        self.retryAfter = retryAfter
    }
}

// MARK: - Wire conversion

extension WorkAssignment {
    init(wire: Vr_V1_WorkAssignment, validator: WireValidator) throws(WireError) {
        let limits = validator.limits
        _ = try validator.count(
            wire.questions.count, "WorkAssignment.questions count", in: 0...limits.maxQuestionsPerRequest)
        var questions: [QuestionAssignment] = []
        questions.reserveCapacity(wire.questions.count)
        var seen: Set<String> = []
        for (index, question) in wire.questions.enumerated() {
            let place = "WorkAssignment.questions[\(index)]"
            let assignment = try QuestionAssignment(wire: question, at: place, validator: validator)
            guard seen.insert(assignment.questionID).inserted else {
                throw WireError(.invalidValue, "\(place): question id \"\(assignment.questionID)\" is repeated")
            }
            questions.append(assignment)
        }
        let maxMilliseconds = Int(Self.maxRetryAfter.wholeMilliseconds)
        let retryMilliseconds = try validator.count(
            wire.retryAfterMs, "WorkAssignment.retry_after_ms", in: 0...maxMilliseconds)
        self.init(
            // An empty assignment ("no work now") needs no id.
            assignmentID: questions.isEmpty
                ? wire.assignmentID : try validator.nonZero(wire.assignmentID, "WorkAssignment.assignment_id"),
            parameterVersion: wire.parameterVersion, questions: questions,
            retryAfter: .milliseconds(retryMilliseconds))
    }

    var wire: Vr_V1_WorkAssignment {
        var wire = Vr_V1_WorkAssignment()
        wire.assignmentID = assignmentID
        wire.parameterVersion = parameterVersion
        wire.questions = questions.map(\.wire)
        wire.retryAfterMs = UInt32(clamping: retryAfter.wholeMilliseconds)
        return wire
    }
}
