// W -> L: a credit-based request for work (rollout.proto `WorkRequest`).

/// A worker asks for up to ``questionCount`` more questions.
public struct WorkRequest: Sendable, Equatable {
    /// Questions wanted (credits), at least 1.
    public var questionCount: Int
    /// The newest parameter version the worker holds; it samples with this version or newer.
    public var parameterVersion: UInt64

    /// Creates a work request.
    /// - Parameters:
    ///   - questionCount: questions wanted, at least 1.
    ///   - parameterVersion: the newest parameter version the worker holds.
    public init(questionCount: Int, parameterVersion: UInt64) {
        self.questionCount = questionCount
        self.parameterVersion = parameterVersion
    }
}

// MARK: - Wire conversion

extension WorkRequest {
    init(wire: Vr_V1_WorkRequest, validator: WireValidator) throws(WireError) {
        self.init(
            questionCount: try validator.count(
                wire.questionCount, "WorkRequest.question_count", in: 1...validator.limits.maxQuestionsPerRequest),
            parameterVersion: wire.parameterVersion)
    }

    var wire: Vr_V1_WorkRequest {
        var wire = Vr_V1_WorkRequest()
        wire.questionCount = UInt32(clamping: questionCount)
        wire.parameterVersion = parameterVersion
        return wire
    }
}
