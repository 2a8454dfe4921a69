// The errors of the status server and its settings.

/// Why a status server could not be configured or started.
public enum ObservabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A listen address that does not parse.
    case invalidAddress(String)

    /// What is wrong.
    public var description: String {
        switch self {
        case .invalidAddress(let reason): "invalid --metrics-address: \(reason)"
        }
    }
}
