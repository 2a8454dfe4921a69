// The in-process twin of the ZeroMQ network: one learner and any number of workers in memory, for tests.

import Synchronization

/// An in-memory network joining one learner and any number of workers with the ZeroMQ transport's semantics.
///
/// What it mirrors: per-worker ordering; replies to an identity that is not connected fail with
/// `.unreachable`; sends wait, up to the send timeout, while the receiver's queue holds its byte budget;
/// publications reach only the workers connected at the time and are dropped for a worker whose queue is
/// full; a worker that connects with an identity already in use takes it over. Frames are handed over without
/// copying (the receiver gets the sender's `SharedBytes`).
///
/// Budgets are exact here: each receiving queue holds at most `receiveHighWaterMarkBytes`, counting 64 bytes of
/// overhead per frame. A message goes straight into the receiver's queue, so there is no separate send queue
/// and `sendHighWaterMarkBytes` is not used.
///
/// `setLink(of:up:)` simulates a network failure between the learner and one worker.
/// Close every transport it made; each holds the hub until then.
public final class InProcessHub: Sendable {
    /// The outcome of delivering a message into a queue.
    enum Delivery {
        case accepted, full, notConnected
    }

    private struct State {
        var learner: InProcessLearnerTransport?
        var workers: [PeerID: InProcessWorkerTransport] = [:]
        var downLinks: Set<PeerID> = []

        func isUp(_ worker: InProcessWorkerTransport) -> Bool {
            learner != nil && workers[worker.identity] === worker && !downLinks.contains(worker.identity)
        }
    }

    /// The settings every transport of this hub uses.
    public let configuration: TransportConfiguration
    private let state = Mutex(State())

    /// Creates an empty network.
    /// - Parameter configuration: budgets and timeouts; endpoints are ignored.
    /// - Throws: `TransportError` with code `.invalidConfiguration`.
    public init(configuration: TransportConfiguration = TransportConfiguration()) throws(TransportError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Starts the learner's end; workers already present become connected.
    /// - Returns: the learner transport.
    /// - Throws: `TransportError` with code `.endpoint` while another learner of this hub is open.
    public func makeLearner() throws(TransportError) -> InProcessLearnerTransport {
        let learner = InProcessLearnerTransport(hub: self)
        let connected = try state.withLock { state throws(TransportError) -> [InProcessWorkerTransport] in
            guard state.learner == nil else {
                throw TransportError(
                    .endpoint("in-process"), hint: "this hub already has an open learner; close it first")
            }
            state.learner = learner
            return state.workers.values.filter { state.isUp($0) }
        }
        for worker in connected { worker.emit(.connected) }
        return learner
    }

    /// Starts a worker's end; it takes over `identity` from a worker already using it.
    /// - Parameter identity: the identity the learner sees.
    /// - Returns: the worker transport, connected if a learner is open and the link is up.
    public func makeWorker(identity: PeerID) -> InProcessWorkerTransport {
        let worker = InProcessWorkerTransport(hub: self, identity: identity)
        let (replaced, isUp) = state.withLock { state in
            let replaced = state.workers.updateValue(worker, forKey: identity)
            return (replaced, state.isUp(worker))
        }
        replaced?.emit(.disconnected)
        if isUp { worker.emit(.connected) }
        return worker
    }

    /// Takes the link between the learner and the worker with `identity` down or brings it back up.
    ///
    /// While it is down, the worker's sends wait (and time out), replies to it fail with `.unreachable`, and it
    /// misses publications; both ends get events when the state changes.
    /// - Parameters:
    ///   - identity: the worker's identity; the state also applies to a worker that connects later.
    ///   - up: the new state.
    public func setLink(of identity: PeerID, up: Bool) {
        let (worker, learner, changed) = state.withLock { state in
            let worker = state.workers[identity]
            let wasUp = worker.map { state.isUp($0) } ?? false
            if up { state.downLinks.remove(identity) } else { state.downLinks.insert(identity) }
            let isUp = worker.map { state.isUp($0) } ?? false
            return (worker, state.learner, wasUp != isUp)
        }
        guard changed, let worker else { return }
        worker.emit(up ? .connected : .disconnected)
        if !up { learner?.emit(.disconnected(identity)) }
    }

    // MARK: - Used by the transports

    func isConnected(_ worker: InProcessWorkerTransport) -> Bool {
        state.withLock { $0.isUp(worker) }
    }

    func deliverToLearner(_ message: Multipart, from worker: InProcessWorkerTransport) -> Delivery {
        state.withLock { state in
            guard state.isUp(worker), let learner = state.learner else { return .notConnected }
            return learner.inbox.offer(PeerMessage(peer: worker.identity, frames: message)) == .accepted
                ? .accepted : .full
        }
    }

    func deliverToWorker(_ message: Multipart, identity: PeerID) -> Delivery {
        state.withLock { state in
            guard let worker = state.workers[identity], state.isUp(worker) else { return .notConnected }
            return worker.replies.offer(message) == .accepted ? .accepted : .full
        }
    }

    func publish(_ message: Multipart) {
        state.withLock { state in
            for worker in state.workers.values where state.isUp(worker) {
                _ = worker.publications.offer(message)
            }
        }
    }

    func remove(_ learner: InProcessLearnerTransport) {
        let disconnected = state.withLock { state -> [InProcessWorkerTransport] in
            guard state.learner === learner else { return [] }
            let up = state.workers.values.filter { state.isUp($0) }
            state.learner = nil
            return up
        }
        for worker in disconnected { worker.emit(.disconnected) }
    }

    func remove(_ worker: InProcessWorkerTransport) {
        let learner = state.withLock { state -> InProcessLearnerTransport? in
            let wasUp = state.isUp(worker)
            if state.workers[worker.identity] === worker { state.workers[worker.identity] = nil }
            return wasUp ? state.learner : nil
        }
        learner?.emit(.disconnected(worker.identity))
    }
}
