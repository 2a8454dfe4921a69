// A wrapper that injects a FaultPlan's faults into a worker transport's sends.

/// A worker transport whose sends to the learner suffer the faults of a `FaultPlan`; everything else passes.
public final class FaultyWorkerTransport: WorkerTransport {
    /// The transport underneath.
    public let base: any WorkerTransport
    private let injector: FaultInjector

    /// Wraps a transport.
    /// - Parameters:
    ///   - base: the transport to wrap.
    ///   - plan: the faults to inject into `send(_:)`.
    public init(wrapping base: any WorkerTransport, plan: FaultPlan) {
        self.base = base
        self.injector = FaultInjector(plan: plan)
    }

    /// The wrapped transport's identity.
    public var identity: PeerID { base.identity }
    /// The wrapped transport's connection state.
    public var isConnected: Bool { base.isConnected }
    /// The wrapped transport's connection events.
    public var events: AsyncStream<ConnectionEvent> { base.events }

    /// Sends through the wrapped transport, after the plan's delay, unless the plan drops the message.
    /// - Parameter message: at least one frame.
    /// - Throws: what the wrapped transport throws, or `.cancelled` during the delay.
    public func send(_ message: Multipart) async throws(TransportError) {
        try await injector.apply(message) { (message) async throws(TransportError) in try await base.send(message) }
    }

    /// Waits for the next reply from the wrapped transport.
    /// - Returns: the message.
    /// - Throws: what the wrapped transport throws.
    public func receive() async throws(TransportError) -> Multipart {
        try await base.receive()
    }

    /// Waits for the next publication from the wrapped transport.
    /// - Returns: the message.
    /// - Throws: what the wrapped transport throws.
    public func receivePublication() async throws(TransportError) -> Multipart {
        try await base.receivePublication()
    }

    /// Waits for publications from the wrapped transport.
    /// - Returns: at least one message, oldest first.
    /// - Throws: what the wrapped transport throws.
    public func receivePublications() async throws(TransportError) -> [Multipart] {
        try await base.receivePublications()
    }

    /// Closes the wrapped transport.
    public func close() async {
        await base.close()
    }
}
