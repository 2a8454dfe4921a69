// What a worker needs from a transport: a request channel to the learner, and its broadcast.

/// A worker's end of the transport: requests to the learner, its replies, and its publications.
///
/// Semantics shared by every implementation (ZeroMQ DEALER + SUB, and the in-process twin):
/// - Messages are multipart and atomic, and arrive in send order.
/// - `send(_:)` waits while the learner is unreachable or its queue is full, up to the send timeout, then
///   fails with `.timedOut`; messages are never queued towards a connection that is not up.
/// - Publications arrive only while the worker is subscribed; a worker that connects late misses earlier ones
///   (fetch a snapshot instead), and a worker whose queue is full misses new ones.
/// - The transport reconnects by itself, with the same identity, after the connection drops.
public protocol WorkerTransport: AnyObject, Sendable {
    /// The identity the learner sees as `PeerMessage.peer`.
    var identity: PeerID { get }

    /// Whether the request channel to the learner is up right now.
    var isConnected: Bool { get }

    /// Sends a message to the learner.
    /// - Parameter message: at least one frame; frames of 64 KiB or more travel without copying over ZeroMQ.
    /// - Throws: `TransportError` with code `.timedOut`, `.invalidMessage`, `.closed` or `.cancelled`.
    func send(_ message: Multipart) async throws(TransportError)

    /// Waits for the next message the learner sent to this worker.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    func receive() async throws(TransportError) -> Multipart

    /// Waits for the next message the learner published.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    func receivePublication() async throws(TransportError) -> Multipart

    /// Waits for the next publication and returns it with every later one already queued.
    /// - Returns: at least one message, oldest first.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    func receivePublications() async throws(TransportError) -> [Multipart]

    /// Connection changes of the request channel; a single consumer should iterate it.
    var events: AsyncStream<ConnectionEvent> { get }

    /// Stops the transport: fails waiting calls with `.closed`, waits up to the linger time to deliver queued
    /// messages, and releases the sockets. Calling it again waits for the same shutdown.
    func close() async
}

extension WorkerTransport {
    /// Waits for the next publication alone.
    public func receivePublications() async throws(TransportError) -> [Multipart] {
        [try await receivePublication()]
    }

    /// The learner's replies as an async sequence that ends when the transport closes.
    public var replies: TransportStream<Multipart> {
        TransportStream { () async throws(TransportError) -> Multipart in try await self.receive() }
    }

    /// The learner's publications as an async sequence that ends when the transport closes; it takes what is
    /// queued in one call (`receivePublications()`).
    public var publications: TransportStream<Multipart> {
        TransportStream(batches: { () async throws(TransportError) -> [Multipart] in
            try await self.receivePublications()
        })
    }
}
