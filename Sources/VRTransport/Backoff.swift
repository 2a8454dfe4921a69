// Retrying a non-blocking attempt with growing pauses until a deadline, from async code.

/// Exponential backoff for operations that cannot wait on a condition directly.
package enum Backoff {
    /// The first pause (1 ms: below a scheduler tick, so a brief full queue costs little latency).
    package static let initialPause: Duration = .milliseconds(1)
    /// The longest pause (20 ms: bounds the extra latency once room appears).
    package static let maximumPause: Duration = .milliseconds(20)

    /// Calls `attempt` until it returns a value, pausing 1, 2, 4 and up to 20 ms between calls.
    /// - Parameters:
    ///   - timeout: how long to keep trying.
    ///   - timeoutHint: the hint of the `.timedOut` error.
    ///   - attempt: returns nil to be called again, a value to finish, or throws to give up.
    /// - Returns: the first value `attempt` returns.
    /// - Throws: `TransportError` with code `.timedOut` after `timeout`, `.cancelled` if the task is cancelled,
    ///   or what `attempt` throws.
    package static func retry<T>(
        timeout: Duration, timeoutHint: @autoclosure () -> String, _ attempt: () throws(TransportError) -> T?
    ) async throws(TransportError) -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var pause = initialPause
        while true {
            if let value = try attempt() { return value }
            let now = clock.now
            guard now < deadline else { throw TransportError(.timedOut, hint: timeoutHint()) }
            do {
                try await Task.sleep(for: min(pause, now.duration(to: deadline)))
            } catch {
                throw .cancelled()
            }
            pause = min(pause * 2, maximumPause)
        }
    }
}
