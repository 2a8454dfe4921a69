// Bridges between async code and blocking code: raw libzmq calls on threads of their own, and a blocking wait.

import Dispatch
import Foundation
import Synchronization

/// Keeps blocking calls off the Swift cooperative pool, and lets a synchronous caller wait for async work.
enum BroadcastThread {
    /// Runs `body` on a new thread and suspends the caller until it returns, without blocking a pool thread.
    /// - Parameters:
    ///   - name: the thread's name, for debuggers.
    ///   - body: the blocking work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    static func run<Value: Sendable>(
        name: String, _ body: @escaping @Sendable () throws(BroadcastError) -> Value
    ) async throws(BroadcastError) -> Value {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Value, BroadcastError>, Never>) in
            let thread = Thread { continuation.resume(returning: Result { () throws(BroadcastError) in try body() }) }
            thread.name = name
            thread.start()
        }
        return try result.get()
    }

    /// Blocks the calling thread until async work finishes; call it from a thread of your own (such as a
    /// command-line tool's main thread), never from async code, where it could starve the pool.
    /// - Parameter operation: the async work, run as a new task.
    /// - Returns: what `operation` returns.
    /// - Throws: what `operation` throws.
    static func wait<Value: Sendable>(
        for operation: @escaping @Sendable () async throws(BroadcastError) -> Value
    ) throws(BroadcastError) -> Value {
        let outcome = Outcome<Value>()
        Task {
            do throws(BroadcastError) {
                outcome.finish(.success(try await operation()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        return try outcome.wait()
    }

    /// A result delivered from one thread to another that waits for it.
    private final class Outcome<Value: Sendable>: Sendable {
        private let result = Mutex<Result<Value, BroadcastError>?>(nil)
        private let finished = DispatchSemaphore(value: 0)

        func finish(_ outcome: Result<Value, BroadcastError>) {
            result.withLock { $0 = outcome }
            finished.signal()
        }

        func wait() throws(BroadcastError) -> Value {
            finished.wait()
            guard let outcome = result.withLock({ $0 }) else { throw BroadcastError("no outcome was delivered") }
            return try outcome.get()
        }
    }
}
