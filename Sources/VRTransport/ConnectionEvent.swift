// Changes in a worker's connection to the learner.

/// A change in a worker's connection to the learner.
public enum ConnectionEvent: Sendable, Equatable {
    /// The request channel to the learner is up; sends can be delivered.
    case connected
    /// The request channel went down (the learner closed, or heartbeats stopped); the transport reconnects
    /// by itself with growing pauses, and sends wait for it up to the send timeout.
    case disconnected
}
