// L -> W: the learner's answer to a hello (control.proto `Welcome`).

import VRCore

/// The learner accepts a worker's hello and states the session's timing and its parameter version.
public struct Welcome: Sendable, Equatable {
    /// Longest heartbeat interval the protocol allows: one hour.
    public static let maxHeartbeatInterval = Duration.seconds(3600)

    /// Id of this learner process, new at every start; a change tells a worker the learner restarted.
    public var learnerInstanceID: String
    /// The learner's current parameter version; a worker holding an older one asks for a snapshot.
    public var parameterVersion: UInt64
    /// Interval between heartbeats in each direction, 1 ms to ``maxHeartbeatInterval``, sent in whole ms.
    public var heartbeatInterval: Duration
    /// Missed heartbeat intervals after which a peer is considered dead, at least 1.
    public var heartbeatLiveness: Int
    /// Largest lag (learner version minus sampling version) at which a batch is still accepted.
    public var maxLag: Int
    /// The revision of vr.v1 the learner speaks; 0 from learners before revision 3, which did not say.
    public var protocolRevision: UInt32

    /// Creates a welcome.
    /// - Parameters:
    ///   - learnerInstanceID: id of this learner process.
    ///   - parameterVersion: the learner's current parameter version.
    ///   - heartbeatInterval: interval between heartbeats, 1 ms to one hour.
    ///   - heartbeatLiveness: missed intervals before a peer is considered dead, at least 1.
    ///   - maxLag: largest lag at which a batch is still accepted.
    ///   - protocolRevision: the revision of vr.v1 the learner speaks; this code's by default.
    public init(
        learnerInstanceID: String, parameterVersion: UInt64, heartbeatInterval: Duration, heartbeatLiveness: Int,
        maxLag: Int, protocolRevision: UInt32 = WireCodec.protocolRevision
    ) {
        self.learnerInstanceID = learnerInstanceID
        self.parameterVersion = parameterVersion
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatLiveness = heartbeatLiveness
        self.maxLag = maxLag
        self.protocolRevision = protocolRevision
    }
}

// MARK: - Wire conversion

extension Welcome {
    init(wire: Vr_V1_Welcome, validator: WireValidator) throws(WireError) {
        let maxMilliseconds = Int(Self.maxHeartbeatInterval.wholeMilliseconds)
        let milliseconds = try validator.count(
            wire.heartbeatIntervalMs, "Welcome.heartbeat_interval_ms", in: 1...maxMilliseconds)
        self.init(
            learnerInstanceID: try validator.identifier(wire.learnerInstanceID, "Welcome.learner_instance_id"),
            parameterVersion: wire.parameterVersion,
            heartbeatInterval: .milliseconds(milliseconds),
            heartbeatLiveness: try validator.count(wire.heartbeatLiveness, "Welcome.heartbeat_liveness", in: 1...1000),
            maxLag: Int(clamping: wire.maxLag), protocolRevision: wire.protocolRevision)
    }

    var wire: Vr_V1_Welcome {
        var wire = Vr_V1_Welcome()
        wire.learnerInstanceID = learnerInstanceID
        wire.parameterVersion = parameterVersion
        wire.heartbeatIntervalMs = UInt32(clamping: heartbeatInterval.wholeMilliseconds)
        wire.heartbeatLiveness = UInt32(clamping: heartbeatLiveness)
        wire.maxLag = UInt32(clamping: maxLag)
        wire.protocolRevision = protocolRevision
        return wire
    }
}
