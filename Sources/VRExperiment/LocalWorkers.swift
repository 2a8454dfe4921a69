// The rollout worker processes a command starts on this machine, watched from the thread that waits for the
// command's service.

import Foundation

/// Worker processes of the `vr` executable, started once the service they join is ready.
///
/// Thread-safe: the service's task starts them while the waiting thread asks whether they have all exited.
public final class LocalWorkers: @unchecked Sendable {
    /// Each worker's log file; their number is the number of workers.
    public let logs: [String]
    private let launcher: DaemonLauncher
    private let lock = NSLock()
    private var processes: [Process] = []
    private var released = false

    /// Workers that will log to `logs`, one each.
    /// - Parameters:
    ///   - logs: the log files.
    ///   - launcher: what starts them.
    public init(logs: [String], launcher: DaemonLauncher) {
        self.logs = logs
        self.launcher = launcher
    }

    /// Starts the workers.
    /// - Parameter arguments: worker i's `vr` arguments, for i in 0..<logs.count.
    /// - Throws: `RunError.cannotStart` when a process cannot start; those already started keep running until
    ///   `terminate`.
    public func launch(arguments: (Int) -> [String]) throws(RunError) {
        for (index, log) in logs.enumerated() {
            let process = try launcher.launch(arguments(index), log: log)
            lock.withLock { processes.append(process) }
        }
    }

    /// Whether workers were started and none of them still runs: whatever waits for them waits in vain.
    public var allExited: Bool {
        lock.withLock {
            !released && !processes.isEmpty && processes.count == logs.count && !processes.contains(where: \.isRunning)
        }
    }

    /// The error for workers that all exited, quoting the first one's log.
    public func failure() -> RunError {
        .child("every worker started here exited", log: logs[0])
    }

    /// Stops the workers once their work is done: from then on their exit is no failure (`allExited` is false),
    /// and their memory is free for what the command does next.
    public func release() {
        lock.withLock { released = true }
        terminate()
    }

    /// Stops the workers that still run.
    public func terminate() {
        lock.withLock { for process in processes where process.isRunning { process.terminate() } }
    }
}
