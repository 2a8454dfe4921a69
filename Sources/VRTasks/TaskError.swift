// Errors raised while configuring task generators or reading and writing task datasets.

/// A failure of task generation or dataset input/output that a user can act on.
public enum TaskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// The dataset has malformed lines; every one of them is listed, in file order.
    case invalidDataset(source: String, issues: [TaskDatasetIssue])
    /// The dataset holds no items.
    case emptyDataset(source: String)
    /// A generator configuration is out of range or cannot produce its splits.
    case invalidConfiguration(String)

    /// A message that says what is wrong and, where it helps, what to do.
    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .invalidDataset(let source, let issues):
            let shown = issues.prefix(Self.issuesShown).map { "  \($0)" }
            let more = issues.count > Self.issuesShown ? ["  ... and \(issues.count - Self.issuesShown) more"] : []
            let header = "\(source): \(issues.count) problem\(issues.count == 1 ? "" : "s") in the task lines"
            return ([header] + shown + more).joined(separator: "\n")
        case .emptyDataset(let source):
            return "\(source): the dataset holds no items"
        case .invalidConfiguration(let message):
            return "invalid task configuration: \(message)"
        }
    }

    /// How many dataset issues `description` lists before summarising the rest.
    static let issuesShown = 20
}
