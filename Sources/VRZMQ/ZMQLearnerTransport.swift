// The learner's end of the ZeroMQ transport: a ROUTER for requests and a PUB for broadcasts.

import VRTransport

/// The learner's end over libzmq: ROUTER (bind) for requests and replies, PUB (bind) for broadcasts.
///
/// One dedicated thread owns both sockets (see `SocketLoop`); every method here is safe to call from any task
/// and never blocks the cooperative pool. Sockets use the configured linger, byte-derived high-water marks
/// (see `HighWaterMark`), ZMTP heartbeats, `ROUTER_MANDATORY` (a send to a departed worker fails with
/// `.unreachable`) and `ROUTER_HANDOVER` (a reconnecting worker takes its identity back at once).
/// See `LearnerTransport` for the semantics shared with the in-process twin.
public final class ZMQLearnerTransport: LearnerTransport {
    /// The settings, as given.
    public let configuration: TransportConfiguration
    /// The request channel's endpoint with a wildcard port resolved, such as `tcp://127.0.0.1:41234`.
    public let requestEndpoint: String
    /// The publish channel's endpoint with a wildcard port resolved.
    public let publishEndpoint: String
    /// Worker departures noticed through connection monitoring (see `LearnerSockets`).
    public let events: AsyncStream<PeerEvent>
    private let sockets: LearnerSockets
    private let loop: SocketLoop

    /// Binds both channels and starts the socket thread.
    /// - Parameters:
    ///   - configuration: the settings; the endpoints may use port `*`.
    ///   - security: CURVE keys and the admitted workers; nil for plain connections.
    /// - Throws: `TransportError` with code `.invalidConfiguration`, `.endpoint` (bind failed) or `.system`.
    public init(configuration: TransportConfiguration, security: CurveServerSecurity? = nil) throws(TransportError) {
        try configuration.validate()
        self.configuration = configuration
        let context: ZMQContext
        do {
            context = try ZMQContext()
        } catch {
            throw error.transportError()
        }
        let waker = try Waker()
        let (events, eventSink) = AsyncStream.makeStream(of: PeerEvent.self, bufferingPolicy: .bufferingNewest(64))
        self.events = events
        sockets = try LearnerSockets(
            context: context, configuration: configuration, security: security, waker: waker, events: eventSink)
        do {
            requestEndpoint = try sockets.router.lastEndpoint()
            publishEndpoint = try sockets.publisher.lastEndpoint()
        } catch {
            sockets.shutDown()
            throw error.transportError()
        }
        loop = SocketLoop(context: context, handler: sockets, waker: waker)
        loop.start(name: "vr-zmq-learner")
    }

    deinit {
        loop.requestStop()
    }

    /// Connections refused during their handshake so far: unknown CURVE keys, other mechanisms, protocol
    /// errors (each also reported as `PeerEvent.refused`).
    public var refusedConnections: Int { sockets.refusals.value }

    /// The configuration workers should use: this one with the resolved endpoints.
    public var workerConfiguration: TransportConfiguration {
        var configuration = configuration
        configuration.requestEndpoint = requestEndpoint
        configuration.publishEndpoint = publishEndpoint
        return configuration
    }

    /// Waits for the next message from any worker.
    /// - Returns: the message and its sender.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receive() async throws(TransportError) -> PeerMessage {
        try await sockets.inbox.take()
    }

    /// Sends a message to one worker; frames of 64 KiB or more are not copied.
    /// - Parameters:
    ///   - message: at least one frame.
    ///   - peer: the worker's identity.
    /// - Throws: `TransportError` with code `.unreachable`, `.timedOut`, `.invalidMessage`, `.closed` or
    ///   `.cancelled`.
    public func send(_ message: Multipart, to peer: PeerID) async throws(TransportError) {
        try configuration.checkSendable(message)
        let timeout = configuration.sendTimeout
        try await loop.submit(
            [message], on: sockets.router, to: peer, timeout: timeout,
            timeoutHint: "worker \(peer) kept its queue full for \(timeout); it is not receiving")
    }

    /// Publishes a message to every subscribed worker; PUB drops it for subscribers whose queue is full.
    /// - Parameter message: at least one frame.
    /// - Throws: `TransportError` with code `.invalidMessage`, `.closed` or `.cancelled`.
    public func publish(_ message: Multipart) async throws(TransportError) {
        try configuration.checkSendable(message)
        try await publish(contentsOf: [message])
    }

    /// Publishes messages in order, handing them to the socket thread in one submission.
    /// - Parameter messages: messages of at least one frame each.
    /// - Throws: `TransportError` with code `.invalidMessage`, `.closed` or `.cancelled`.
    public func publish(contentsOf messages: [Multipart]) async throws(TransportError) {
        for message in messages { try configuration.checkSendable(message) }
        guard !messages.isEmpty else { return }
        try await loop.submit(
            messages, on: sockets.publisher, to: nil, timeout: configuration.sendTimeout,
            timeoutHint: "the publisher did not take the messages")
    }

    /// Stops the socket thread, delivers queued messages for up to the linger time and releases the sockets.
    public func close() async {
        await loop.stop()
    }
}
