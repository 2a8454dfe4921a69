// One problem found on one line of a JSONL dataset: where it is, which field, and what is wrong.

/// A malformed line of a prompt/response JSONL file.
///
/// Every line that cannot become an example produces one issue; a file with issues is rejected as a
/// whole (`TrainingError.invalidDataset`), so nothing is skipped silently.
public struct DatasetIssue: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with a line.
    public enum Problem: Sendable, Equatable {
        /// The line is not valid JSON.
        case notJSON
        /// The line is JSON but not an object (an array, string, number, ...).
        case notAnObject
        /// The object has no value for the field.
        case missingField
        /// The field's value is not a string; `found` names the JSON type (e.g. "number").
        case notAString(found: String)
        /// The field is a string with no characters.
        case emptyField
        /// The `weight` field is not a finite number of at least 0; `found` describes the value.
        case invalidWeight(found: String)
    }

    /// The 1-based line number in the file.
    public let line: Int
    /// The field at fault ("prompt" or "response"), or nil when the line as a whole is at fault.
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

    /// A message such as `line 7: field "response" is a number, expected a string`.
    public var description: String {
        let subject = field.map { "field \"\($0)\"" } ?? "the line"
        switch problem {
        case .notJSON: return "line \(line): not valid JSON"
        case .notAnObject: return "line \(line): not a JSON object (expected {\"prompt\": ..., \"response\": ...})"
        case .missingField: return "line \(line): \(subject) is missing"
        case .notAString(let found): return "line \(line): \(subject) is \(found), expected a string"
        case .emptyField: return "line \(line): \(subject) is empty"
        case .invalidWeight(let found):
            return "line \(line): \(subject) is \(found), expected a finite number of at least 0"
        }
    }
}
