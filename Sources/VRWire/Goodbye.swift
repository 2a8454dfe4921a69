// W -> L: a worker leaves (control.proto `Goodbye`).

/// A worker ends its session; the learner hands its outstanding work out again.
public struct Goodbye: Sendable, Equatable {
    /// Why the worker leaves, for logs.
    public var reason: String

    /// Creates a goodbye.
    /// - Parameter reason: why the worker leaves.
    public init(reason: String) {
        self.reason = reason
    }
}

// MARK: - Wire conversion

extension Goodbye {
    init(wire: Vr_V1_Goodbye, validator: WireValidator) throws(WireError) {
        self.init(reason: try validator.text(wire.reason, "Goodbye.reason"))
    }

    var wire: Vr_V1_Goodbye {
        var wire = Vr_V1_Goodbye()
        wire.reason = reason
        return wire
    }
}
