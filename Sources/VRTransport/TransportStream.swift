// An async sequence over a transport's receive call, for `for await` loops in services.

/// Messages from a transport as an async sequence; it ends when the transport closes or the task is cancelled.
public struct TransportStream<Element: Sendable>: AsyncSequence, Sendable {
    /// The iterator; `next()` hands out a received batch before it waits for another.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let receive: @Sendable () async throws(TransportError) -> [Element]
        var pending: [Element] = []
        var nextIndex = 0

        /// Waits for the next message.
        /// - Returns: the message, or nil once the transport is closed or the task cancelled.
        public mutating func next() async -> Element? {
            while nextIndex == pending.count {
                do {
                    pending = try await receive()
                    nextIndex = 0
                } catch {
                    return nil
                }
            }
            defer { nextIndex += 1 }
            return pending[nextIndex]
        }
    }

    private let receive: @Sendable () async throws(TransportError) -> [Element]

    /// Wraps a receive call.
    /// - Parameter receive: waits for one message; throwing ends the sequence.
    public init(_ receive: @escaping @Sendable () async throws(TransportError) -> Element) {
        self.receive = { () async throws(TransportError) -> [Element] in [try await receive()] }
    }

    /// Wraps a receive call that returns several messages at a time.
    /// - Parameter batches: waits for messages, oldest first; throwing ends the sequence.
    public init(batches: @escaping @Sendable () async throws(TransportError) -> [Element]) {
        self.receive = batches
    }

    /// Creates an iterator.
    /// - Returns: an iterator that calls the receive function whenever its batch is used up.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(receive: receive)
    }
}
