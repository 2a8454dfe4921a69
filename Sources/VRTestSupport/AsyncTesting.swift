// Bounded waits for asynchronous tests: a timeout that fails instead of hanging, polling with a deadline,
// and the code of a thrown transport error.

import Synchronization
import VRTransport

/// The error of an operation that did not finish in time.
public struct TimedOut: Error, CustomStringConvertible {
    /// The time allowed.
    public let seconds: Double
    /// A message naming the time allowed.
    public var description: String { "the operation did not finish within \(seconds) s" }
}

/// Runs `operation`, failing with `TimedOut` after `seconds` even if the operation hangs (it is then
/// cancelled and abandoned, so a hang fails the test instead of blocking the run).
public func withTimeout<T: Sendable>(
    seconds: Double, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = Race<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.install(continuation)
        let work = Task {
            do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            if race.finish(.failure(TimedOut(seconds: seconds))) { work.cancel() }
        }
        race.onFinish { timer.cancel() }
    }
}

/// Resumes a continuation once, with whichever result comes first.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var cleanup: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.finished { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }

    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, cleanup) = state.withLock {
            state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            defer { state.continuation = nil }
            return (state.continuation, state.cleanup)
        }
        guard let continuation else { return false }
        continuation.resume(with: result)
        cleanup?()
        return true
    }
}

/// The code of a transport error thrown by `operation`, or nil if it did not throw one.
public func transportErrorCode(_ operation: () async throws -> Void) async -> TransportError.Code? {
    do {
        try await operation()
        return nil
    } catch let error as TransportError {
        return error.code
    } catch {
        return nil
    }
}

/// Polls `condition` every 10 ms until it holds; fails with `TimedOut` after `seconds`.
public func eventually(within seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TimedOut(seconds: seconds)
}
