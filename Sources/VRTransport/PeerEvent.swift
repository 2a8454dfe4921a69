// Changes in the set of workers connected to the learner, as its transport sees them.

/// A change the learner's transport noticed in its set of workers.
public enum PeerEvent: Sendable, Equatable {
    /// The worker's connection closed or its heartbeats stopped; replies to it fail until it reconnects.
    ///
    /// Over ZeroMQ the event can arrive a moment before the route is gone: a reply sent right after it may
    /// still be accepted, and is then lost.
    case disconnected(PeerID)
    /// A connection from `address` was refused during its handshake: an unknown CURVE key, another
    /// security mechanism, or a protocol error.
    case refused(address: String, reason: String)
}
