// The learner's end of the in-process twin.

import Synchronization

/// The learner's end of an `InProcessHub`; see `LearnerTransport` for the shared semantics.
public final class InProcessLearnerTransport: LearnerTransport {
    /// Worker departures: closes and link failures.
    public let events: AsyncStream<PeerEvent>
    let inbox: MessageQueue<PeerMessage>
    private let hub: InProcessHub
    private let eventSink: AsyncStream<PeerEvent>.Continuation
    private let isClosed = Mutex(false)

    init(hub: InProcessHub) {
        self.hub = hub
        self.inbox = MessageQueue(byteBudget: hub.configuration.receiveHighWaterMarkBytes)
        (events, eventSink) = AsyncStream.makeStream(of: PeerEvent.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Waits for the next message from any worker.
    /// - Returns: the message and its sender.
    /// - Throws: `TransportError` with code `.closed` or `.cancelled`.
    public func receive() async throws(TransportError) -> PeerMessage {
        try await inbox.take()
    }

    /// Sends a message to one worker, waiting while its queue is full.
    /// - Parameters:
    ///   - message: at least one frame.
    ///   - peer: the worker's identity.
    /// - Throws: `TransportError` with code `.unreachable`, `.timedOut`, `.invalidMessage`, `.closed` or
    ///   `.cancelled`.
    public func send(_ message: Multipart, to peer: PeerID) async throws(TransportError) {
        try hub.configuration.checkSendable(message)
        let timeout = hub.configuration.sendTimeout
        try await Backoff.retry(
            timeout: timeout, timeoutHint: "worker \(peer) kept its queue full for \(timeout); it is not receiving"
        ) { () throws(TransportError) -> Void? in
            guard !isClosed.withLock({ $0 }) else { throw .closed() }
            switch hub.deliverToWorker(message, identity: peer) {
            case .accepted: return ()
            case .full: return nil
            case .notConnected:
                throw TransportError(.unreachable(peer), hint: "no worker \(peer) is connected; it left or never came")
            }
        }
    }

    /// Sends a message to every connected worker whose queue has room.
    /// - Parameter message: at least one frame.
    /// - Throws: `TransportError` with code `.invalidMessage` or `.closed`.
    public func publish(_ message: Multipart) async throws(TransportError) {
        try hub.configuration.checkSendable(message)
        guard !isClosed.withLock({ $0 }) else { throw .closed() }
        hub.publish(message)
    }

    /// Leaves the hub: fails waiting calls with `.closed` and disconnects every worker.
    public func close() async {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        hub.remove(self)
        inbox.close()
        eventSink.finish()
    }

    func emit(_ event: PeerEvent) {
        eventSink.yield(event)
    }
}
