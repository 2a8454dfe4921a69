// Why a worker could not do its work.

import VRModel

/// A worker setting or input that cannot be used.
public enum WorkerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// The learner assigned a question this worker's dataset does not have.
    case unknownQuestion(String)
    /// The model refused a batch.
    case model(ModelError)
    /// The learner's messages did not follow the protocol.
    case protocolViolation(String)
    /// The transport failed (closed, or the learner unreachable past the send timeout).
    case transport(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid worker configuration: \(message)"
        case .unknownQuestion(let id):
            "question \"\(id)\" is not in this worker's dataset (same --tasks as the learner?)"
        case .model(let error): "\(error)"
        case .protocolViolation(let message): "protocol violation: \(message)"
        case .transport(let message): "transport: \(message)"
        }
    }
}
