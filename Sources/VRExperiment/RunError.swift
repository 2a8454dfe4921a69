// Why a run on this machine could not go on: a child process that failed, or a run directory that is not this run's.

import Foundation

/// A failure of a local run (`vr demo`, `vr experiment`, `vr build-data`) outside its configuration.
public enum RunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A child process could not be started.
    case cannotStart(String, reason: String)
    /// A child process failed; the log's last lines say why.
    case childFailed(String, log: String, logTail: [String])
    /// The run directory holds another experiment's configuration.
    case otherExperiment(directory: String)
    /// The records directory holds another experiment's configuration.
    case otherRecords(directory: String)
    /// The selected arms name one the configuration does not define.
    case unknownArm(String)
    /// A file of the run directory cannot be written or read.
    case io(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .cannotStart(let command, let reason): "cannot start \(command): \(reason)"
        case .childFailed(let message, let log, let tail):
            "\(message); the end of \(log):\n" + tail.joined(separator: "\n")
        case .otherExperiment(let directory):
            "\(directory) holds a different experiment (its experiment.json differs); use another run directory"
        case .otherRecords(let directory):
            "\(directory) holds the records of a different experiment (its experiment.json differs); use another "
                + "records directory"
        case .unknownArm(let name): "the experiment has no arm named \"\(name)\""
        case .io(let message): message
        }
    }

    /// The error for a child process that failed, quoting the last 10 lines of its log.
    /// - Parameters:
    ///   - message: what went wrong.
    ///   - log: the child's log file.
    /// - Returns: the error.
    static func child(_ message: String, log: String) -> RunError {
        let tail = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(10)
        return .childFailed(message, log: log, logTail: tail.map(String.init))
    }
}
