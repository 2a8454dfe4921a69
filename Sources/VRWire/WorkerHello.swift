// W -> L: the first message of a worker session (control.proto `Hello`).

/// A worker introduces itself to the learner; the learner answers with ``Welcome``.
public struct WorkerHello: Sendable, Equatable {
    /// The software that sends it, for logs (for example `"vr 0.1.0"`).
    public var softwareVersion: String
    /// Questions the worker can hold at once: the upper bound of its credits, at least 1.
    public var slotCount: Int
    /// The newest parameter version the worker holds; 0 if it holds none and needs a snapshot.
    public var parameterVersion: UInt64
    /// Fingerprint of the task dataset the worker resolves question ids against; empty if unknown.
    public var datasetFingerprint: String

    /// Creates a hello.
    /// - Parameters:
    ///   - softwareVersion: the software that sends it.
    ///   - slotCount: questions the worker can hold at once, at least 1.
    ///   - parameterVersion: the newest parameter version the worker holds, 0 for none.
    ///   - datasetFingerprint: fingerprint of the worker's task dataset, empty if unknown.
    public init(softwareVersion: String, slotCount: Int, parameterVersion: UInt64, datasetFingerprint: String = "") {
        self.softwareVersion = softwareVersion
        self.slotCount = slotCount
        self.parameterVersion = parameterVersion
        self.datasetFingerprint = datasetFingerprint
    }
}

// MARK: - Wire conversion

extension WorkerHello {
    init(wire: Vr_V1_Hello, validator: WireValidator) throws(WireError) {
        let limits = validator.limits
        self.init(
            softwareVersion: try validator.text(wire.softwareVersion, "Hello.software_version"),
            slotCount: try validator.count(wire.slotCount, "Hello.slot_count", in: 1...limits.maxQuestionsPerRequest),
            parameterVersion: wire.parameterVersion,
            datasetFingerprint: try validator.text(wire.datasetFingerprint, "Hello.dataset_fingerprint"))
    }

    var wire: Vr_V1_Hello {
        var wire = Vr_V1_Hello()
        wire.softwareVersion = softwareVersion
        wire.slotCount = UInt32(clamping: slotCount)
        wire.parameterVersion = parameterVersion
        wire.datasetFingerprint = datasetFingerprint
        return wire
    }
}
