// One problem found on one line of a task JSONL file: where, which field, and what is wrong.

/// A malformed line of a task JSONL file.
///
/// Every line that cannot become an item produces at least one issue; a file with issues is
/// rejected as a whole (`TaskError.invalidDataset`), so nothing is skipped silently.
public struct TaskDatasetIssue: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with a line or one of its fields.
    public enum Problem: Sendable, Equatable {
        /// The line is not valid JSON.
        case notJSON
        /// The line is JSON but not an object.
        case notAnObject
        /// A required field is absent (or null).
        case missingField
        /// The field has the wrong JSON type; `expected` and `found` name types, e.g. "a string", "a number".
        case wrongType(expected: String, found: String)
        /// The field is a string with no non-whitespace characters.
        case emptyField
        /// The field has the right type but an unusable value; `reason` says why.
        case invalidValue(reason: String)
    }

    /// The 1-based line number in the file.
    public let line: Int
    /// The field at fault, or nil when the line as a whole is at fault.
    public let field: String?
    /// What is wrong.
    public let problem: Problem

    /// Creates an issue.
    /// - Parameters:
    ///   - line: the 1-based line number.
    ///   - field: the field at fault, or nil for the whole line.
    ///   - problem: what is wrong.
    public init(line: Int, field: String?, problem: Problem) {
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// A message such as `line 7: field "target" is a string, expected an integer`.
    public var description: String {
        let subject = field.map { "field \"\($0)\"" } ?? "the line"
        switch problem {
        case .notJSON: return "line \(line): not valid JSON"
        case .notAnObject: return "line \(line): not a JSON object (expected {\"question\": ..., \"answer\": ...})"
        case .missingField: return "line \(line): \(subject) is missing"
        case .wrongType(let expected, let found): return "line \(line): \(subject) is \(found), expected \(expected)"
        case .emptyField: return "line \(line): \(subject) is empty"
        case .invalidValue(let reason): return "line \(line): \(subject): \(reason)"
        }
    }
}
