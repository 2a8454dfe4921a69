// Waiting for a message with a deadline, without ever losing one that arrives as the deadline passes.

extension LearnerTransport {
    /// Waits up to `timeout` for the next message from any worker.
    /// - Parameter timeout: how long to wait.
    /// - Returns: the message, or nil when none came in time.
    /// - Throws: `TransportError` with code `.closed` once the transport is closed.
    public func receive(within timeout: Duration) async throws(TransportError) -> PeerMessage? {
        try await firstMessage(within: timeout) { () async throws(TransportError) -> PeerMessage in
            try await self.receive()
        }
    }
}

extension WorkerTransport {
    /// Waits up to `timeout` for the next message the learner sent to this worker.
    /// - Parameter timeout: how long to wait.
    /// - Returns: the message, or nil when none came in time.
    /// - Throws: `TransportError` with code `.closed` once the transport is closed.
    public func receive(within timeout: Duration) async throws(TransportError) -> Multipart? {
        try await firstMessage(within: timeout) { () async throws(TransportError) -> Multipart in
            try await self.receive()
        }
    }
}

/// Races `receive` against a timer; a message taken just as the timer fires is returned, not dropped.
private func firstMessage<Element: Sendable>(
    within timeout: Duration, _ receive: @escaping @Sendable () async throws(TransportError) -> Element
) async throws(TransportError) -> Element? {
    let outcome = await withTaskGroup(of: Result<Element?, TransportError>.self) { group in
        group.addTask {
            do throws(TransportError) {
                return .success(try await receive())
            } catch {
                return .failure(error)
            }
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return .success(nil)
        }
        var first = await group.next() ?? .success(nil)
        group.cancelAll()
        while let other = await group.next() {
            if case .success(let element?) = other { first = .success(element) }
        }
        return first
    }
    switch outcome {
    case .success(let element): return element
    case .failure(let error) where error.code == .cancelled: return nil
    case .failure(let error): throw error
    }
}
