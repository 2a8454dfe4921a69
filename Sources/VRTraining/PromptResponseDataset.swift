// Reading and writing prompt/response JSONL files: one {"prompt": ..., "response": ...} object per line.

import Foundation
import VRModel

/// A list of prompt/response examples, read from or written to JSON Lines.
///
/// Each non-blank line is an object with string fields `prompt` and `response` (other fields are
/// ignored); `response` must not be empty. Lines holding only whitespace are skipped. Any other line
/// that is not such an object makes `read`/`parse` fail with every malformed line listed, so no
/// example is ever dropped silently.
public struct PromptResponseDataset: Sendable, Equatable {
    /// The examples in file order.
    public var examples: [PromptResponseExample]

    /// Creates a dataset from examples in memory.
    /// - Parameter examples: the examples.
    public init(examples: [PromptResponseExample]) {
        self.examples = examples
    }

    // MARK: - Reading

    /// Reads and checks a JSONL file.
    /// - Parameter path: the file.
    /// - Returns: the dataset, each example carrying its line number.
    /// - Throws: `TrainingError.io` if the file cannot be read, `.invalidDataset` listing every malformed
    ///   line, `.emptyDataset` if there is no example.
    public static func read(from path: String) throws(TrainingError) -> PromptResponseDataset {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, source: path)
    }

    /// Parses JSONL bytes.
    /// - Parameters:
    ///   - data: the file contents (UTF-8).
    ///   - source: the name used in errors, usually the path.
    /// - Returns: the dataset, each example carrying its line number.
    /// - Throws: `TrainingError.invalidDataset` listing every malformed line, `.emptyDataset` if there is
    ///   no example.
    public static func parse(_ data: Data, source: String) throws(TrainingError) -> PromptResponseDataset {
        var examples: [PromptResponseExample] = []
        var issues: [DatasetIssue] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, bytes) in lines.enumerated() {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            switch parseLine(Data(bytes), line: offset + 1) {
            case .success(let example): examples.append(example)
            case .failure(let lineIssues): issues += lineIssues.issues
            }
        }
        guard issues.isEmpty else { throw .invalidDataset(path: source, issues: issues) }
        guard !examples.isEmpty else { throw .emptyDataset(path: source) }
        return PromptResponseDataset(examples: examples)
    }

    // MARK: - Writing

    /// The dataset as JSON Lines: one `{"prompt":...,"response":...}` object per line (with `"weight"` when it
    /// is not 1), keys sorted.
    /// - Returns: the text, ending with a newline after every example.
    public func jsonLines() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for example in examples {
            // Encoding two strings and a finite number cannot fail; the fallback keeps Sources free of `try!`.
            let line = (try? encoder.encode(example)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            text += line + "\n"
        }
        return text
    }

    /// Writes the dataset as JSON Lines, replacing `path` atomically.
    /// - Parameter path: the file to write; its directory must exist.
    /// - Throws: `TrainingError.io` if writing fails.
    public func write(to path: String) throws(TrainingError) {
        do {
            try AtomicFile.write(Array(jsonLines().utf8), to: path)
        } catch .io(_, let reason) {
            throw .io(path: path, reason: reason)
        } catch {
            throw .model(error)
        }
    }

    // MARK: - Helpers

    /// The issues of one line, wrapped so they can travel in a `Result`.
    private struct LineIssues: Error {
        let issues: [DatasetIssue]
    }

    /// One line parsed into an example, or every problem found on it.
    private static func parseLine(_ data: Data, line: Int) -> Result<PromptResponseExample, LineIssues> {
        let object: JSONLineObject
        do {
            object = try JSONDecoder().decode(JSONLineObject.self, from: data)
        } catch DecodingError.typeMismatch {
            return .failure(LineIssues(issues: [DatasetIssue(line: line, field: nil, problem: .notAnObject)]))
        } catch {
            return .failure(LineIssues(issues: [DatasetIssue(line: line, field: nil, problem: .notJSON)]))
        }
        var issues: [DatasetIssue] = []
        if case .problem(let problem) = object.prompt {
            issues.append(DatasetIssue(line: line, field: "prompt", problem: problem))
        }
        switch object.response {
        case .problem(let problem): issues.append(DatasetIssue(line: line, field: "response", problem: problem))
        case .text(let text) where text.isEmpty:
            issues.append(DatasetIssue(line: line, field: "response", problem: .emptyField))
        case .text: break
        }
        if case .problem(let problem) = object.weight {
            issues.append(DatasetIssue(line: line, field: "weight", problem: problem))
        }
        guard issues.isEmpty, case .text(let prompt) = object.prompt, case .text(let response) = object.response,
            case .number(let weight) = object.weight
        else { return .failure(LineIssues(issues: issues)) }
        return .success(PromptResponseExample(prompt: prompt, response: response, weight: weight, line: line))
    }
}

/// A JSON object's `prompt` and `response` fields, each a string or the reason it is not one, and its optional
/// `weight`.
private struct JSONLineObject: Decodable {
    enum Field {
        case text(String)
        case problem(DatasetIssue.Problem)
    }

    enum Weight {
        case number(Double)
        case problem(DatasetIssue.Problem)
    }

    let prompt: Field
    let response: Field
    let weight: Weight

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws `DecodingError.typeMismatch` when the value is not an object.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        prompt = Self.string(Key(stringValue: "prompt"), in: container)
        response = Self.string(Key(stringValue: "response"), in: container)
        weight = Self.weight(Key(stringValue: "weight"), in: container)
    }

    /// A missing weight is 1; a present one must be a finite number of at least 0.
    private static func weight(_ key: Key, in container: KeyedDecodingContainer<Key>) -> Weight {
        guard container.contains(key) else { return .number(1) }
        guard let value = try? container.decode(Double.self, forKey: key) else {
            let isString = (try? container.decode(String.self, forKey: key)) != nil
            return .problem(.invalidWeight(found: isString ? "a string" : typeName(of: key, in: container)))
        }
        guard value.isFinite && value >= 0 else { return .problem(.invalidWeight(found: "\(value)")) }
        return .number(value)
    }

    private static func string(
        _ key: Key, in container: KeyedDecodingContainer<Key>
    )
        -> Field
    {
        guard container.contains(key) else { return .problem(.missingField) }
        if let text = try? container.decode(String.self, forKey: key) { return .text(text) }
        return .problem(.notAString(found: typeName(of: key, in: container)))
    }

    /// The JSON type of a non-string value, for messages.
    private static func typeName(of key: Key, in container: KeyedDecodingContainer<Key>) -> String {
        if (try? container.decodeNil(forKey: key)) == true { return "null" }
        if (try? container.decode(Bool.self, forKey: key)) != nil { return "a boolean" }
        if (try? container.decode(Double.self, forKey: key)) != nil { return "a number" }
        if (try? container.nestedUnkeyedContainer(forKey: key)) != nil { return "an array" }
        return "an object"
    }
}
