// Errors raised while reading training data, checking a training configuration or running training.

import VRModel

/// A failure of supervised fine-tuning that an operator can act on.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// The dataset file has malformed lines; every one of them is listed, in file order.
    case invalidDataset(path: String, issues: [DatasetIssue])
    /// The dataset holds no examples.
    case emptyDataset(path: String)
    /// An example does not fit the model's context.
    ///
    /// `line` is the 1-based line in the source file when known, otherwise nil and `index` (0-based
    /// position in the dataset) locates the example.
    case exampleTooLong(index: Int, line: Int?, promptTokenCount: Int, tokenCount: Int, contextLength: Int)
    /// A configuration value is out of range or a configuration file is malformed.
    case invalidConfiguration(String)
    /// The output directory already holds a checkpoint and resuming was not requested.
    case checkpointExists(path: String)
    /// The model or a checkpoint reported an error.
    case model(ModelError)

    /// A message that says what is wrong and, where it helps, what to do.
    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .invalidDataset(let path, let issues):
            let shown = issues.prefix(Self.issuesShown).map { "  \($0)" }
            let more = issues.count > Self.issuesShown ? ["  ... and \(issues.count - Self.issuesShown) more"] : []
            let header = "\(path): \(issues.count) malformed line\(issues.count == 1 ? "" : "s")"
            return ([header] + shown + more).joined(separator: "\n")
        case .emptyDataset(let path):
            return "\(path): the dataset holds no examples"
        case .exampleTooLong(let index, let line, let promptTokenCount, let tokenCount, let contextLength):
            let place = line.map { "line \($0)" } ?? "example \(index)"
            return "\(place): the example has \(tokenCount) tokens (prompt \(promptTokenCount)), more than the "
                + "context length \(contextLength); shorten it, raise model.contextLength, or set "
                + "truncateLongExamples to cut the response"
        case .invalidConfiguration(let message):
            return "invalid training configuration: \(message)"
        case .checkpointExists(let path):
            return
                "\(path) already holds a checkpoint; resume from it (vr sft --resume) or choose another output directory"
        case .model(let error):
            return error.description
        }
    }

    /// How many dataset issues `description` lists before summarising the rest.
    static let issuesShown = 20
}
