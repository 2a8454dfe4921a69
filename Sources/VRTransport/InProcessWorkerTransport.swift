// A worker's end of the in-process twin.

import Synchronization

/// A worker's end of an `InProcessHub`; see `WorkerTransport` for the shared semantics.
public final class InProcessWorkerTransport: WorkerTransport {
    /// The identity the learner sees.
    public let identity: PeerID
    /// Connection changes: the learner opening or closing, link failures, a takeover of the identity.
    public let events: AsyncStream<ConnectionEvent>
    let replies: MessageQueue<Multipart>
    let publications: MessageQueue<Multipart>
    private let hub: InProcessHub
    private let eventSink: AsyncStream<ConnectionEvent>.Continuation
    private let isClosed = Mutex(false)

    init(hub: InProcessHub, identity: PeerID) {
        self.hub = hub
        self.identity = identity
        replies = MessageQueue(byteBudget: hub.configuration.receiveHighWaterMarkBytes)
        publications = MessageQueue(byteBudget: hub.configuration.receiveHighWaterMarkBytes)
        (events, eventSink) = AsyncStream.makeStream(of: ConnectionEvent.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Whether a learner is open, the link is up and no other worker took over this identity.
    public var isConnected: Bool {
        !isClosed.withLock { $0 } && hub.isConnected(self)
    }

    /// Sends a message to the learner, waiting while it is unreachable or its queue is full.
    /// - Parameter message: at least one frame.
    /// - Throws: `TransportError` with code `.timedOut`, `.invalidMessage`, `.closed` or `.cancelled`.
    public func send(_ message: Multipart) async throws(TransportError) {
        try hub.configuration.checkSendable(message)
        let timeout = hub.configuration.sendTimeout
        try await Backoff.retry(
            timeout: timeout,
            timeoutHint: "the learner did not take the message within \(timeout): not connected, or its queue is full"
        ) { () throws(TransportError) -> Void? in
            guard !isClosed.withLock({ $0 }) else { throw .closed() }
            return hub.deliverToLearner(message, from: self) == .accepted ? () : nil
        }
    }

    /// Waits for the next message the learner sent to this worker.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receive() async throws(TransportError) -> Multipart {
        try await replies.take()
    }

    /// Waits for the next publication.
    /// - Returns: the message.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receivePublication() async throws(TransportError) -> Multipart {
        try await publications.take()
    }

    /// Waits for the next publication and returns it with every later one already queued.
    /// - Returns: at least one message, oldest first.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receivePublications() async throws(TransportError) -> [Multipart] {
        try await publications.takeAll()
    }

    /// Leaves the hub: fails waiting calls with `.closed`; the learner sees the worker disconnect.
    public func close() async {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        hub.remove(self)
        replies.close()
        publications.close()
        eventSink.finish()
    }

    func emit(_ event: ConnectionEvent) {
        eventSink.yield(event)
    }
}
