// W -> L and L -> W: liveness (control.proto `Heartbeat`).

/// A liveness signal, sent in either direction when a heartbeat interval passed without other traffic.
public struct Heartbeat: Sendable, Equatable {
    /// The newest parameter version the sender holds.
    public var parameterVersion: UInt64
    /// Questions assigned to the worker and not yet returned in a batch, as the sender counts them.
    public var outstandingQuestionCount: Int

    /// Creates a heartbeat.
    /// - Parameters:
    ///   - parameterVersion: the newest parameter version the sender holds.
    ///   - outstandingQuestionCount: questions assigned and not yet returned, as the sender counts them.
    public init(parameterVersion: UInt64, outstandingQuestionCount: Int) {
        self.parameterVersion = parameterVersion
        self.outstandingQuestionCount = outstandingQuestionCount
    }
}

// MARK: - Wire conversion

extension Heartbeat {
    init(wire: Vr_V1_Heartbeat, validator: WireValidator) throws(WireError) {
        self.init(
            parameterVersion: wire.parameterVersion,
            outstandingQuestionCount: try validator.count(
                wire.outstandingQuestionCount, "Heartbeat.outstanding_question_count",
                in: 0...validator.limits.maxQuestionsPerRequest))
    }

    var wire: Vr_V1_Heartbeat {
        var wire = Vr_V1_Heartbeat()
        wire.parameterVersion = parameterVersion
        wire.outstandingQuestionCount = UInt32(clamping: outstandingQuestionCount)
        return wire
    }
}
