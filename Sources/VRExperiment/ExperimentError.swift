// Why an experiment cannot run as configured.

/// A configuration or run directory that `vr experiment` cannot use.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration file cannot be read or decoded.
    case unreadable(path: String, reason: String)
    /// A value is out of range or inconsistent; the message names the field.
    case invalid(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .invalid(let message): "invalid experiment configuration: \(message)"
        }
    }
}
