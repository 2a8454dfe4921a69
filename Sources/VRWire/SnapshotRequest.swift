// W -> L: a request for the full current parameters (parameters.proto `SnapshotRequest`).

/// A late joiner, a reconnecting worker or one that lost a chunk asks for a full parameter snapshot.
public struct SnapshotRequest: Sendable, Equatable {
    /// The newest parameter version the worker holds; 0 if none.
    public var parameterVersion: UInt64

    /// Creates a snapshot request.
    /// - Parameter parameterVersion: the newest parameter version the worker holds, 0 for none.
    public init(parameterVersion: UInt64) {
        self.parameterVersion = parameterVersion
    }
}

// MARK: - Wire conversion

extension SnapshotRequest {
    init(wire: Vr_V1_SnapshotRequest) {
        self.init(parameterVersion: wire.parameterVersion)
    }

    var wire: Vr_V1_SnapshotRequest {
        var wire = Vr_V1_SnapshotRequest()
        wire.parameterVersion = parameterVersion
        return wire
    }
}
