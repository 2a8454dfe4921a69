// What can go wrong while reading a run directory or writing its report, naming the file (and line) at fault.

/// A run directory that cannot be read, or a report that cannot be written.
public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file is missing or cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON file does not decode.
    case malformedFile(path: String, reason: String)
    /// A line of a JSON-lines file does not decode (lines count from 1).
    case malformedLine(path: String, line: Int, reason: String)
    /// The results decode but contradict themselves, such as an arm without runs.
    case invalidResults(path: String, reason: String)
    /// An output file or directory cannot be written.
    case unwritableFile(path: String, reason: String)

    /// The message, beginning with the file at fault.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "\(path): cannot read: \(reason)"
        case .malformedFile(let path, let reason): "\(path): malformed JSON: \(reason)"
        case .malformedLine(let path, let line, let reason): "\(path), line \(line): malformed JSON line: \(reason)"
        case .invalidResults(let path, let reason): "\(path): invalid results: \(reason)"
        case .unwritableFile(let path, let reason): "\(path): cannot write: \(reason)"
        }
    }
}
