// A worker's end of the ZeroMQ transport: a DEALER for requests and a SUB for broadcasts.

import VRTransport

/// A worker's end over libzmq: DEALER (connect, fixed identity) for requests, SUB (connect, all topics) for
/// broadcasts.
///
/// One dedicated thread owns both sockets (see `SocketLoop`); every method here is safe to call from any task
/// and never blocks the cooperative pool. libzmq connects in the background and reconnects after a drop with
/// a pause that doubles from `reconnectMinimumMilliseconds` to `reconnectMaximumMilliseconds`; ZMTP heartbeats
/// detect a silent learner; `ZMQ_IMMEDIATE` keeps messages from queueing towards a connection that is not up,
/// so `send` waits (up to the send timeout) while disconnected. See `WorkerTransport` for the shared semantics.
public final class ZMQWorkerTransport: WorkerTransport {
    /// The identity the learner sees (`ZMQ_ROUTING_ID`).
    public let identity: PeerID
    /// The settings, as given.
    public let configuration: TransportConfiguration
    /// Connection changes of the request channel, from a socket monitor (handshake done, disconnected).
    public let events: AsyncStream<ConnectionEvent>
    private let sockets: WorkerSockets
    private let loop: SocketLoop

    /// Starts connecting both channels and the socket thread; the learner need not be up yet.
    /// - Parameters:
    ///   - identity: the worker's identity, kept across reconnects.
    ///   - configuration: the settings; the endpoints must name the learner's actual ports.
    ///   - security: the learner's public key and this worker's CURVE keys; nil for plain connections.
    /// - Throws: `TransportError` with code `.invalidConfiguration`, `.endpoint` (malformed) or `.system`.
    public init(
        identity: PeerID, configuration: TransportConfiguration, security: CurveClientSecurity? = nil
    ) throws(TransportError) {
        try configuration.validate()
        self.identity = identity
        self.configuration = configuration
        let context: ZMQContext
        do {
            context = try ZMQContext()
        } catch {
            throw error.transportError()
        }
        let waker = try Waker()
        let (events, eventSink) = AsyncStream.makeStream(
            of: ConnectionEvent.self, bufferingPolicy: .bufferingNewest(64))
        self.events = events
        sockets = try WorkerSockets(
            context: context, identity: identity, configuration: configuration, security: security, waker: waker,
            events: eventSink)
        loop = SocketLoop(context: context, handler: sockets, waker: waker)
        loop.start(name: "vr-zmq-worker")
    }

    deinit {
        loop.requestStop()
    }

    /// Whether the request channel has a connection that completed its handshake.
    public var isConnected: Bool {
        sockets.isConnected.load(ordering: .sequentiallyConsistent)
    }

    /// Sends a message to the learner; frames of 64 KiB or more are not copied.
    /// - Parameter message: at least one frame.
    /// - Throws: `TransportError` with code `.timedOut`, `.invalidMessage`, `.closed` or `.cancelled`.
    public func send(_ message: Multipart) async throws(TransportError) {
        try configuration.checkSendable(message)
        let timeout = configuration.sendTimeout
        try await loop.submit(
            [message], on: sockets.dealer, to: nil, timeout: timeout,
            timeoutHint: "the learner at \(configuration.requestEndpoint) did not take the message within \(timeout): "
                + "not connected, or its queue is full")
    }

    /// Waits for the next message the learner sent to this worker.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receive() async throws(TransportError) -> Multipart {
        try await sockets.replies.take()
    }

    /// Waits for the next publication.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receivePublication() async throws(TransportError) -> Multipart {
        try await sockets.publications.take()
    }

    /// Waits for the next publication and returns it with every later one already queued.
    /// - Returns: at least one message, oldest first.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receivePublications() async throws(TransportError) -> [Multipart] {
        try await sockets.publications.takeAll()
    }

    /// Stops the socket thread, delivers queued messages for up to the linger time and releases the sockets.
    public func close() async {
        await loop.stop()
    }
}
