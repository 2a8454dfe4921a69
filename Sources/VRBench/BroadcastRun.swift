// One timed broadcast: from the first send until the last subscriber holds the last chunk.

import VRCore
import VRTransport

/// The outcome of broadcasting one snapshot to every subscriber through one path.
struct BroadcastRun<Received: BroadcastReceivedFrame>: Sendable {
    /// From just before the first send until the last subscriber completed its reception.
    let elapsed: Duration
    /// What each subscriber received, in subscriber order.
    let receptions: [BroadcastReception<Received>]

    /// Creates a run from the start instant and each subscriber's completion.
    /// - Parameters:
    ///   - start: the instant just before the first send.
    ///   - completions: each subscriber's reception with the instant it completed.
    init(start: ContinuousClock.Instant, completions: [(BroadcastReception<Received>, ContinuousClock.Instant)]) {
        let finish = completions.map(\.1).max() ?? start
        elapsed = finish - start
        receptions = completions.map(\.0)
    }

    /// The elapsed time in seconds.
    var seconds: Double { elapsed.inSeconds }

    /// Checks every subscriber's bytes against what was sent.
    /// - Parameter payload: what was broadcast.
    /// - Returns: the number of bytes checked (the payload times the subscribers).
    /// - Throws: `BroadcastError` naming the first subscriber and chunk that differ.
    func verify(against payload: BroadcastPayload) throws(BroadcastError) -> Int {
        for reception in receptions { try reception.verify(against: payload) }
        return receptions.reduce(0) { $0 + $1.receivedByteCount }
    }
}
