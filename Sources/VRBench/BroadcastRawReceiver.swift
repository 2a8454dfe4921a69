// The raw path's subscriber threads: a blocking zmq_msg_recv loop each, and where their outcomes meet.

import CZeroMQ
import Dispatch
import Synchronization

/// What one raw subscriber thread does: receive frames with `zmq_msg_recv` until the broadcast is complete.
struct BroadcastRawReceiver: @unchecked Sendable {
    /// The SUB socket, used by this receiver's thread only while the run lasts.
    let socket: UnsafeMutableRawPointer
    /// The subscriber's position, 0-based.
    let index: Int
    /// The version of the broadcast to receive.
    let parameterVersion: UInt64
    /// Where the receiver reports probes and messages.
    let progress: BroadcastProgress

    /// Receives until the broadcast is complete; a receive that waits longer than `ZMQ_RCVTIMEO` fails it.
    /// - Returns: the reception and the instant it completed, or why it failed.
    func run() -> Result<(BroadcastReception<BroadcastRawMessage>, ContinuousClock.Instant), BroadcastError> {
        let name = "raw subscriber \(index + 1)"
        var reception = BroadcastReception<BroadcastRawMessage>(
            parameterVersion: parameterVersion, subscriberName: name)
        var frames: [BroadcastRawMessage] = []
        do throws(BroadcastError) {
            while true {
                let frame = BroadcastRawMessage()
                while zmq_msg_recv(frame.pointer, socket, 0) < 0 {
                    let code = zmq_errno()
                    if code == EINTR { continue }
                    throw code == EAGAIN
                        ? BroadcastError(
                            "\(name): no frame within the receive timeout after \(reception.receivedByteCount) "
                                + "payload bytes; did the PUB drop messages at its high-water mark?")
                        : BroadcastRawCluster.lastError("zmq_msg_recv")
                }
                frames.append(frame)
                if frame.hasMore { continue }
                switch try reception.accept(frames) {
                case .probe: progress.probeArrived(at: index)
                case .pending: progress.messageArrived(at: index)
                case .complete: return .success((reception, ContinuousClock.now))
                }
                frames.removeAll(keepingCapacity: true)
            }
        } catch {
            return .failure(error)
        }
    }
}

/// The outcomes of a run's raw subscriber threads, and a way to wait for all of them.
final class BroadcastRawOutcomes: Sendable {
    private typealias Outcome = Result<
        (BroadcastReception<BroadcastRawMessage>, ContinuousClock.Instant), BroadcastError
    >

    private let outcomes: Mutex<[Outcome?]>
    private let finished = DispatchSemaphore(value: 0)

    /// Creates an empty record for `subscriberCount` threads.
    init(subscriberCount: Int) {
        outcomes = Mutex(Array(repeating: nil, count: subscriberCount))
    }

    /// Stores the outcome of thread `index` (called once per thread, as its last act).
    func store(
        _ outcome: Result<(BroadcastReception<BroadcastRawMessage>, ContinuousClock.Instant), BroadcastError>,
        at index: Int
    ) {
        outcomes.withLock { $0[index] = outcome }
        finished.signal()
    }

    /// Whether some thread has finished already (before the broadcast only when it failed).
    var anyFinished: Bool {
        outcomes.withLock { $0.contains { $0 != nil } }
    }

    /// Blocks until every thread has stored its outcome; call it once per run.
    /// - Returns: every reception with its completion instant, in subscriber order.
    /// - Throws: the first subscriber's error, if any failed.
    func waitForAll() throws(BroadcastError) -> [(BroadcastReception<BroadcastRawMessage>, ContinuousClock.Instant)] {
        let stored = outcomes.withLock { $0.count }
        for _ in 0..<stored { finished.wait() }
        return try outcomes.withLock { $0 }.map { (outcome) throws(BroadcastError) in
            guard let outcome else { throw BroadcastError("raw path: a subscriber thread stored no outcome") }
            return try outcome.get()
        }
    }
}
