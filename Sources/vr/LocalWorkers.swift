// The rollout worker processes a command starts on this machine, watched from the thread that waits for the
// command's service.

import ArgumentParser
import Foundation

/// Worker processes of this binary, started once the service they join is ready.
///
/// Thread-safe: the service's task starts them while the waiting thread asks whether they have all exited.
final class LocalWorkers: @unchecked Sendable {
    /// Each worker's log file; their number is the number of workers.
    let logs: [String]
    private let lock = NSLock()
    private var processes: [Process] = []

    /// Workers that will log to `logs`, one each.
    /// - Parameter logs: the log files.
    init(logs: [String]) {
        self.logs = logs
    }

    /// Starts the workers.
    /// - Parameter arguments: worker i's `vr` arguments, for i in 0..<logs.count.
    /// - Throws: when a process cannot start; those already started keep running until `terminate`.
    func launch(arguments: (Int) -> [String]) throws {
        for (index, log) in logs.enumerated() {
            let process = try launchChild(arguments(index), log: log)
            lock.withLock { processes.append(process) }
        }
    }

    /// Whether workers were started and none of them still runs: whatever waits for them waits in vain.
    var allExited: Bool {
        lock.withLock { !processes.isEmpty && processes.count == logs.count && !processes.contains(where: \.isRunning) }
    }

    /// The error for workers that all exited, quoting the first one's log.
    func failure() -> ValidationError {
        childFailure("every worker started here exited", log: logs[0])
    }

    /// Stops the workers that still run.
    func terminate() {
        lock.withLock { for process in processes where process.isRunning { process.terminate() } }
    }
}
