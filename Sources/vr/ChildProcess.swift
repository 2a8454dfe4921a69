// Starting this `vr` binary as a child process (the demo's and build-data's local learner and workers).

import ArgumentParser
import Foundation

/// Starts this `vr` binary with `arguments`, its output going to the file `log`, or to `output` when given.
///
/// Each child gets one compute thread (`VR_THREADS=1`): the parent's learner and the workers share the cores.
/// - Parameters:
///   - arguments: the subcommand and its options.
///   - log: the file for standard output and error, created or emptied; unused with `output`.
///   - output: a pipe for standard output and error instead (whose reader writes the log).
/// - Returns: the running process.
/// - Throws: when the log cannot be created or the process cannot start.
func launchChild(_ arguments: [String], log: String, output: Pipe? = nil) throws -> Process {
    let process = Process()
    process.executableURL = Bundle.main.executableURL
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["VR_THREADS"] = "1"
    process.environment = environment
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
    return process
}

/// An error that quotes the end of a child's log.
/// - Parameters:
///   - message: what went wrong.
///   - log: the child's log file.
/// - Returns: the error, with the log's last 10 lines.
func childFailure(_ message: String, log: String) -> ValidationError {
    let tail = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(10)
    return ValidationError("\(message); the end of \(log):\n" + tail.joined(separator: "\n"))
}
