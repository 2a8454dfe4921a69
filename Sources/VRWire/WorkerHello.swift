// W -> L: the first message of a worker session (control.proto `Hello`).

/// A worker introduces itself to the learner; the learner answers with ``Welcome``.
public struct WorkerHello: Sendable, Equatable {
    /// The software that sends it, for logs (for example `"vr 0.1.0"`).
    public var softwareVersion: String
    /// The newest parameter version the worker holds; 0 if it holds none and needs a snapshot.
    public var parameterVersion: UInt64
    /// Fingerprint of the task dataset the worker resolves question ids against; empty if unknown.
    public var datasetFingerprint: String

    /// Creates a hello.
    /// - Parameters:
    ///   - softwareVersion: the software that sends it.
    ///   - parameterVersion: the newest parameter version the worker holds, 0 for none.
    ///   - datasetFingerprint: fingerprint of the worker's task dataset, empty if unknown.
    public init(softwareVersion: String, parameterVersion: UInt64, datasetFingerprint: String = "") {
        self.softwareVersion = softwareVersion
        self.parameterVersion = parameterVersion
        self.datasetFingerprint = datasetFingerprint
    }
}

// MARK: - Wire conversion

extension WorkerHello {
    init(wire: Vr_V1_Hello, validator: WireValidator) throws(WireError) {
        self.init(
            softwareVersion: try validator.text(wire.softwareVersion, "Hello.software_version"),
            parameterVersion: wire.parameterVersion,
            datasetFingerprint: try validator.text(wire.datasetFingerprint, "Hello.dataset_fingerprint"))
    }

    var wire: Vr_V1_Hello {
        var wire = Vr_V1_Hello()
        wire.softwareVersion = softwareVersion
        wire.parameterVersion = parameterVersion
        wire.datasetFingerprint = datasetFingerprint
        return wire
    }
}
