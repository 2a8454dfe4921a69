// Starting `vr` daemons as child processes of this one (the local clusters of `vr demo`, `vr experiment` and
// `vr build-data`).

import Foundation

/// Starts subcommands of the `vr` executable as child processes, each with its output in a log file.
public struct DaemonLauncher: Sendable {
    /// The `vr` executable.
    public let executable: URL

    /// A launcher of `executable`'s subcommands.
    /// - Parameter executable: the `vr` executable, usually the running one.
    public init(executable: URL) {
        self.executable = executable
    }

    /// Starts `executable` with `arguments`, its output going to the file `log`, or to `output` when given.
    ///
    /// Each child gets one compute thread (`VR_THREADS=1`): the learner and the workers share the cores.
    /// - Parameters:
    ///   - arguments: the subcommand and its options.
    ///   - log: the file for standard output and error, created or emptied; unused with `output`.
    ///   - output: a pipe for standard output and error instead (whose reader writes the log).
    /// - Returns: the running process.
    /// - Throws: `RunError.cannotStart` when the log cannot be created or the process cannot start.
    public func launch(_ arguments: [String], log: String, output: Pipe? = nil) throws(RunError) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["VR_THREADS"] = "1"
        process.environment = environment
        do {
            if let output {
                process.standardOutput = output
                process.standardError = output
            } else {
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                let file = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
                process.standardOutput = file
                process.standardError = file
            }
            try process.run()
        } catch {
            throw .cannotStart("\(executable.path) \(arguments.first ?? "")", reason: error.localizedDescription)
        }
        return process
    }
}
