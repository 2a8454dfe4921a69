// Errors raised by model construction, checkpoints and inputs given to a model.

/// A failure that an operator can act on: a bad configuration, checkpoint or input.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration does not describe a buildable model.
    case invalidConfiguration(String)
    /// A checkpoint file is missing, truncated, foreign or does not match the model.
    case invalidCheckpoint(path: String, reason: String)
    /// A batch, prompt or option given to `train`, `score` or `sample` is not valid.
    case invalidInput(String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid model configuration: \(message)"
        case .invalidCheckpoint(let path, let reason): "invalid checkpoint \(path): \(reason)"
        case .invalidInput(let message): "invalid model input: \(message)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
