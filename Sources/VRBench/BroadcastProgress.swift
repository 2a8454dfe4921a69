// How far each subscriber is in a broadcast run: whether it saw a probe, and how many messages it filed.

import Synchronization

/// Progress of the subscribers of one run, shared between the sender and the receivers of either path.
///
/// The sender polls `allProbed` to know every subscriber is connected before it starts the clock; the
/// message counts only serve the error message when a run times out.
final class BroadcastProgress: Sendable {
    private struct State {
        var probed: [Bool]
        var messageCounts: [Int]
    }

    private let state: Mutex<State>

    /// Creates the progress of `subscriberCount` subscribers that have received nothing.
    init(subscriberCount: Int) {
        state = Mutex(
            State(
                probed: Array(repeating: false, count: subscriberCount),
                messageCounts: Array(repeating: 0, count: subscriberCount)))
    }

    /// Records that subscriber `index` received a probe.
    func probeArrived(at index: Int) {
        state.withLock { $0.probed[index] = true }
    }

    /// Records that subscriber `index` received a message of the broadcast.
    func messageArrived(at index: Int) {
        state.withLock { $0.messageCounts[index] += 1 }
    }

    /// Whether every subscriber has received at least one probe.
    var allProbed: Bool {
        state.withLock { $0.probed.allSatisfy { $0 } }
    }

    /// The messages each subscriber received, such as `12, 65`.
    var messageCountsDescription: String {
        state.withLock { $0.messageCounts.map(String.init).joined(separator: ", ") }
    }
}
