// Applying a FaultPlan to the sends of one channel, counting messages.

import Synchronization

/// Applies a `FaultPlan` to a stream of sends, counting messages.
final class FaultInjector: Sendable {
    let plan: FaultPlan
    private let sent = Mutex(0)

    init(plan: FaultPlan) {
        self.plan = plan
    }

    /// Sends `message` through `send` as the plan says for the next message number.
    func apply(
        _ message: Multipart, _ send: (Multipart) async throws(TransportError) -> Void
    ) async throws(TransportError) {
        let number = sent.withLock { count in
            count += 1
            return count
        }
        if plan.delay > .zero {
            do { try await Task.sleep(for: plan.delay) } catch { throw .cancelled() }
        }
        switch plan.fault(forMessage: number) {
        case .deliver: try await send(message)
        case .drop: return
        case .corrupt: try await send(FaultPlan.corrupted(message))
        case .duplicate:
            try await send(message)
            try await send(message)
        }
    }
}
