// An async sequence over a transport's receive call, for `for await` loops in services.

/// Messages from a transport as an async sequence; it ends when the transport closes or the task is cancelled.
public struct TransportStream<Element: Sendable>: AsyncSequence, Sendable {
    /// The iterator; each `next()` waits for one message.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let receive: @Sendable () async throws(TransportError) -> Element

        /// Waits for the next message.
        /// - Returns: the message, or nil once the transport is closed or the task cancelled.
        public mutating func next() async -> Element? {
            do {
                return try await receive()
            } catch {
                return nil
            }
        }
    }

    private let receive: @Sendable () async throws(TransportError) -> Element

    /// Wraps a receive call.
    /// - Parameter receive: waits for one message; throwing ends the sequence.
    public init(_ receive: @escaping @Sendable () async throws(TransportError) -> Element) {
        self.receive = receive
    }

    /// Creates an iterator.
    /// - Returns: an iterator that calls the receive function once per element.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(receive: receive)
    }
}
