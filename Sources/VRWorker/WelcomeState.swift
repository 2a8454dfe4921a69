// Whether the worker is in a session the learner has welcomed, shared with the heartbeat task.

import Synchronization

/// Whether the learner has welcomed this worker in the current session.
///
/// The heartbeat task reads it: a heartbeat before the welcome gets `UNKNOWN_WORKER`, which would send the worker
/// back to hello once it is welcomed.
final class WelcomeState: Sendable {
    private let welcomed = Mutex(false)

    /// True between a welcome and the next rejoin.
    var isWelcomed: Bool { welcomed.withLock { $0 } }

    /// Records a welcome (true) or the start of a new hello (false).
    func set(_ isWelcomed: Bool) { welcomed.withLock { $0 = isWelcomed } }
}
