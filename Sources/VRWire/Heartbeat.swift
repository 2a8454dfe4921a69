// W -> L and L -> W: liveness (control.proto `Heartbeat`).

/// A liveness signal, sent in either direction when a heartbeat interval passed without other traffic.
public struct Heartbeat: Sendable, Equatable {
    /// The newest parameter version the sender holds.
    public var parameterVersion: UInt64

    /// Creates a heartbeat.
    /// - Parameter parameterVersion: the newest parameter version the sender holds.
    public init(parameterVersion: UInt64) {
        self.parameterVersion = parameterVersion
    }
}

// MARK: - Wire conversion

extension Heartbeat {
    init(wire: Vr_V1_Heartbeat) {
        self.init(parameterVersion: wire.parameterVersion)
    }

    var wire: Vr_V1_Heartbeat {
        var wire = Vr_V1_Heartbeat()
        wire.parameterVersion = parameterVersion
        return wire
    }
}
