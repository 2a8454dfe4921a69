// A bounded, byte-counted FIFO between a producer (a socket thread or a sender) and async consumers.

import Synchronization

/// A FIFO of messages bounded in bytes, with async consumers; shared by the in-process and ZeroMQ transports.
///
/// Producers never wait here: `offer` refuses a message that does not fit, and `push` (for a socket thread
/// that already checked `hasSpace`) accepts it anyway, so the queue overshoots its budget by at most one
/// message. An empty queue accepts any message, so a message larger than the budget still gets through.
package final class MessageQueue<Element: Sendable>: Sendable {
    /// The result of offering a message.
    package enum Offer: Sendable, Equatable {
        /// The message was queued or handed to a waiting consumer.
        case accepted
        /// The queue holds `byteBudget` bytes or more; try again later.
        case full
        /// The queue was closed.
        case closed
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Result<Element, TransportError>, Never>
    }

    private struct State {
        var items: [(element: Element, cost: Int)] = []
        var head = 0
        var bytes = 0
        var isClosed = false
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
    }

    /// The number of bytes above which `offer` refuses messages.
    package let byteBudget: Int
    private let cost: @Sendable (Element) -> Int
    private let spaceFreed: @Sendable () -> Void
    private let state = Mutex(State())

    /// Creates an empty queue.
    /// - Parameters:
    ///   - byteBudget: the byte bound, at least 1.
    ///   - cost: the bytes one message accounts for.
    ///   - spaceFreed: called (outside the lock) when a take brings a full queue back under its budget.
    package init(
        byteBudget: Int, cost: @escaping @Sendable (Element) -> Int, spaceFreed: @escaping @Sendable () -> Void = {}
    ) {
        precondition(byteBudget >= 1, "MessageQueue byteBudget must be at least 1, got \(byteBudget)")
        self.byteBudget = byteBudget
        self.cost = cost
        self.spaceFreed = spaceFreed
    }

    /// Whether the queue is under its budget, so that the next `offer` of a small message would succeed.
    package var hasSpace: Bool {
        state.withLock { !$0.isClosed && $0.bytes < byteBudget }
    }

    /// Queues a message if it fits in the budget (or the queue is empty).
    /// - Parameter element: the message.
    /// - Returns: whether it was accepted.
    package func offer(_ element: Element) -> Offer {
        insert(element, force: false)
    }

    /// Queues a message even over the budget; for a socket thread that checked `hasSpace` before reading it.
    /// - Parameter element: the message.
    /// - Returns: `.accepted`, or `.closed`.
    @discardableResult
    package func push(_ element: Element) -> Offer {
        insert(element, force: true)
    }

    private func insert(_ element: Element, force: Bool) -> Offer {
        let size = cost(element)
        let (outcome, waiter): (Offer, Waiter?) = state.withLock { state in
            if state.isClosed { return (.closed, nil) }
            if !state.waiters.isEmpty { return (.accepted, state.waiters.removeFirst()) }
            guard force || state.bytes == 0 || state.bytes + size <= byteBudget else { return (.full, nil) }
            state.items.append((element, size))
            state.bytes += size
            return (.accepted, nil)
        }
        waiter?.continuation.resume(returning: .success(element))
        return outcome
    }

    /// Waits for the next message.
    /// - Returns: the oldest message.
    /// - Throws: `TransportError` with code `.closed` once the queue is closed, `.cancelled` if the task is.
    package func take() async throws(TransportError) -> Element {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<Element, TransportError>, Never>) in
                let immediate = state.withLock { state -> (Result<Element, TransportError>, Bool)? in
                    if let (element, freed) = Self.popFirst(&state, budget: byteBudget) {
                        return (.success(element), freed)
                    }
                    if state.isClosed { return (.failure(.closed()), false) }
                    // A cancelled task must not register: its cancellation handler may already have run.
                    if Task.isCancelled { return (.failure(.cancelled()), false) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let (result, freed) = immediate {
                    if freed { spaceFreed() }
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: .failure(.cancelled()))
        }
        return try result.get()
    }

    /// Takes every queued message at once, or waits for the next one when none is queued.
    /// - Returns: at least one message, oldest first.
    /// - Throws: `TransportError` with code `.closed` once the queue is closed, `.cancelled` if the task is.
    package func takeAll() async throws(TransportError) -> [Element] {
        let queued = state.withLock { state -> (elements: [Element], freed: Bool)? in
            guard state.head < state.items.count else { return nil }
            let elements = state.items[state.head...].map(\.element)
            let wasFull = state.bytes >= byteBudget
            state.items.removeAll(keepingCapacity: true)
            state.head = 0
            state.bytes = 0
            return (elements, wasFull)
        }
        guard let queued else { return [try await take()] }
        if queued.freed { spaceFreed() }
        return queued.elements
    }

    /// Removes the oldest item; reports whether that brought a full queue back under budget.
    private static func popFirst(_ state: inout State, budget: Int) -> (Element, Bool)? {
        guard state.head < state.items.count else { return nil }
        let (element, size) = state.items[state.head]
        state.head += 1
        let wasFull = state.bytes >= budget
        state.bytes -= size
        if state.head == state.items.count {
            state.items.removeAll(keepingCapacity: true)
            state.head = 0
        } else if state.head >= 64 && state.head * 2 >= state.items.count {
            state.items.removeFirst(state.head)
            state.head = 0
        }
        return (element, wasFull && state.bytes < budget)
    }

    /// Closes the queue: discards queued messages and fails waiting and later takes with `.closed`.
    package func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.isClosed = true
            state.items.removeAll()
            state.head = 0
            state.bytes = 0
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(.closed()))
        }
    }
}

extension MessageQueue where Element == Multipart {
    /// A queue of multipart messages, each costing its payload plus `frameOverhead` bytes per frame.
    /// - Parameters:
    ///   - byteBudget: the byte bound.
    ///   - spaceFreed: called when a full queue gets room again.
    package convenience init(byteBudget: Int, spaceFreed: @escaping @Sendable () -> Void = {}) {
        self.init(byteBudget: byteBudget, cost: { $0.byteCount + $0.count * frameOverhead }, spaceFreed: spaceFreed)
    }
}

extension MessageQueue where Element == PeerMessage {
    /// A queue of messages with senders, each costing its payload plus `frameOverhead` bytes per frame.
    /// - Parameters:
    ///   - byteBudget: the byte bound.
    ///   - spaceFreed: called when a full queue gets room again.
    package convenience init(byteBudget: Int, spaceFreed: @escaping @Sendable () -> Void = {}) {
        self.init(
            byteBudget: byteBudget, cost: { $0.frames.byteCount + ($0.frames.count + 1) * frameOverhead },
            spaceFreed: spaceFreed)
    }
}

/// Bytes charged per frame on top of its payload, so that floods of tiny frames stay bounded too.
package let frameOverhead = 64
