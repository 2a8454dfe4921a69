// Runs an async service from a synchronous command: the services are async, `vr`'s entry point is not.

import Foundation

/// Runs `body` on the concurrency runtime and waits for it on the calling thread.
///
/// With `stopSignals`, those signals (such as SIGINT and SIGTERM) cancel the task instead of killing the process,
/// so a service can finish its step, write its checkpoint and exit cleanly. With `stopWhen`, the calling thread
/// asks twice a second whether to cancel `body` (say, because the processes it waits for have exited).
/// - Parameters:
///   - stopSignals: signals that cancel `body`.
///   - shouldStop: a condition that cancels `body` once true.
///   - body: the work.
/// - Returns: what `body` returns.
/// - Throws: what `body` throws.
func blockingAsync<T: Sendable>(
    stopSignals: [Int32] = [], stopWhen shouldStop: (() -> Bool)? = nil,
    _ body: @escaping @Sendable () async throws -> T
) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    let sources = stopSignals.map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    if let shouldStop {
        while done.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
            guard shouldStop() else { continue }
            task.cancel()
            done.wait()
            break
        }
    } else {
        done.wait()
    }
    for source in sources { source.cancel() }
    guard let result = box.result else { throw CancellationError() }
    return try result.get()
}

/// Carries a result from the task to the waiting thread; the semaphore orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
