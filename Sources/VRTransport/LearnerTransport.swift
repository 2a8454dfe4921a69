// What the learner needs from a transport: one request channel shared by all workers, and a broadcast.

/// The learner's end of the transport: requests from any worker, replies to one, broadcasts to all.
///
/// Semantics shared by every implementation (ZeroMQ ROUTER + PUB, and the in-process twin):
/// - Messages are multipart and atomic, and arrive in send order per worker.
/// - `send(_:to:)` fails at once with `.unreachable` when no worker with that identity is connected, and waits
///   up to the send timeout while that worker's queue is full, then fails with `.timedOut`.
/// - `publish(_:)` never waits: each subscribed worker gets the message unless its queue is full, in which case
///   it misses it; a worker that subscribes later misses earlier publications (PUB/SUB semantics).
/// - Once `close()` starts, waiting and later calls fail with `.closed`.
public protocol LearnerTransport: AnyObject, Sendable {
    /// Waits for the next message from any worker.
    /// - Returns: the message and its sender.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    func receive() async throws(TransportError) -> PeerMessage

    /// Sends a message to one worker.
    /// - Parameters:
    ///   - message: at least one frame; frames of 64 KiB or more travel without copying over ZeroMQ.
    ///   - peer: the worker's identity, as received in `PeerMessage.peer`.
    /// - Throws: `TransportError` with code `.unreachable`, `.timedOut`, `.invalidMessage`, `.closed` or
    ///   `.cancelled`.
    func send(_ message: Multipart, to peer: PeerID) async throws(TransportError)

    /// Sends a message to every subscribed worker, without waiting for slow ones.
    /// - Parameter message: at least one frame.
    /// - Throws: `TransportError` with code `.invalidMessage` or `.closed`.
    func publish(_ message: Multipart) async throws(TransportError)

    /// Publishes messages in order, as `publish(_:)` each; an implementation may hand them over at once.
    /// - Parameter messages: messages of at least one frame each.
    /// - Throws: `TransportError` with code `.invalidMessage` or `.closed`.
    func publish(contentsOf messages: [Multipart]) async throws(TransportError)

    /// Worker departures as the transport sees them; advisory, so keep application-level liveness as well.
    ///
    /// A single consumer should iterate it; old events are dropped if nobody reads them.
    var events: AsyncStream<PeerEvent> { get }

    /// Stops the transport: fails waiting calls with `.closed`, waits up to the linger time to deliver queued
    /// messages, and releases the sockets. Calling it again waits for the same shutdown.
    func close() async
}

extension LearnerTransport {
    /// Publishes the messages one by one.
    public func publish(contentsOf messages: [Multipart]) async throws(TransportError) {
        for message in messages { try await publish(message) }
    }

    /// The incoming messages as an async sequence that ends when the transport closes.
    public var messages: TransportStream<PeerMessage> {
        TransportStream { () async throws(TransportError) -> PeerMessage in try await self.receive() }
    }
}
