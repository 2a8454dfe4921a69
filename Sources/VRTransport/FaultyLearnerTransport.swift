// A wrapper that injects a FaultPlan's faults into a learner transport's replies and publications.

/// A learner transport whose replies and publications suffer the faults of a `FaultPlan` (counted separately).
public final class FaultyLearnerTransport: LearnerTransport {
    /// The transport underneath.
    public let base: any LearnerTransport
    private let replies: FaultInjector
    private let publications: FaultInjector

    /// Wraps a transport.
    /// - Parameters:
    ///   - base: the transport to wrap.
    ///   - plan: the faults to inject into `send(_:to:)` and, numbered separately, `publish(_:)`.
    public init(wrapping base: any LearnerTransport, plan: FaultPlan) {
        self.base = base
        self.replies = FaultInjector(plan: plan)
        self.publications = FaultInjector(plan: plan)
    }

    /// The wrapped transport's peer events.
    public var events: AsyncStream<PeerEvent> { base.events }

    /// Waits for the next message from the wrapped transport.
    /// - Returns: the message and its sender.
    /// - Throws: what the wrapped transport throws.
    public func receive() async throws(TransportError) -> PeerMessage {
        try await base.receive()
    }

    /// Sends through the wrapped transport as the plan says.
    /// - Parameters:
    ///   - message: at least one frame.
    ///   - peer: the worker's identity.
    /// - Throws: what the wrapped transport throws, or `.cancelled` during the delay.
    public func send(_ message: Multipart, to peer: PeerID) async throws(TransportError) {
        try await replies.apply(message) { (message) async throws(TransportError) in
            try await base.send(message, to: peer)
        }
    }

    /// Publishes through the wrapped transport as the plan says.
    /// - Parameter message: at least one frame.
    /// - Throws: what the wrapped transport throws, or `.cancelled` during the delay.
    public func publish(_ message: Multipart) async throws(TransportError) {
        try await publications.apply(message) { (message) async throws(TransportError) in
            try await base.publish(message)
        }
    }

    /// Closes the wrapped transport.
    public func close() async {
        await base.close()
    }
}
