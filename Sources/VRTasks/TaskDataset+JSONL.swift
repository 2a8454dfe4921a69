// Reading task items from JSON Lines (including the Bespoke-Stratos question/thought/solution shape) and writing them.

import Foundation

extension TaskDataset {
    /// Reads a JSONL file; see `parse(_:source:verifier:)` for the rules.
    /// - Parameters:
    ///   - path: the file.
    ///   - verifier: the verifier for every item, or nil to read each line's `verifier` field.
    /// - Returns: the dataset in file order.
    /// - Throws: `TaskError.io` when the file cannot be read, `.invalidDataset` listing every problem,
    ///   `.emptyDataset` when there is no item.
    public static func read(from path: String, verifier: VerifierKind?) throws(TaskError) -> TaskDataset {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, source: path, verifier: verifier)
    }

    /// Parses JSONL bytes into items.
    ///
    /// Each non-blank line is a JSON object (lines holding only whitespace are skipped: they hold
    /// nothing). Fields, other keys being ignored:
    /// - `question` (string, required, not blank);
    /// - `answer` (string or integer, the final answer) and/or `solution` (string): at least one.
    ///   Without `answer`, the final answer is `ReasoningOutput.finalAnswer(inSolution:)` of the
    ///   solution (`\boxed{...}`, else an `Answer:` line, else the last line). Without `solution`,
    ///   the solution is `Answer: <answer>`, as for generated items;
    /// - `thought` (string, optional, may be blank): the reference thought; the Bespoke-Stratos
    ///   layout `question` / `thought` / `solution` is thus accepted as is;
    /// - `worked_solution` (string, optional): the posterior's hint, concise working that states the final
    ///   answer; without it the hint is the solution;
    /// - `difficulty` (integer >= 0, optional, default 0 = unknown), `id` (string, optional, default
    ///   `line-N`), `family` (optional, a `TaskFamily` name), `source` (string, optional: where the item comes
    ///   from, `SOURCE/FAMILY`, whose last part names the family in reports);
    /// - `verifier` (`exact`, `numeric`, `fraction`, `approximate` or `expression`): read only when
    ///   `verifier` is nil, and then required (an unknown name is an error naming the line); a chosen
    ///   verifier overrides it;
    /// - `numbers` (array of integers) and `target` (integer): required for `expression`;
    /// - `tolerance` (string holding a non-negative number, e.g. `"0.001"`): required for `approximate`.
    ///
    /// The chosen verifier must accept the reference answer. Every problem of every line is
    /// reported with its 1-based line number and field; one bad line rejects the whole file.
    /// - Parameters:
    ///   - data: the file contents (UTF-8).
    ///   - source: the name used in errors, usually the path.
    ///   - verifier: the verifier for every item, or nil to read each line's `verifier` field.
    /// - Returns: the dataset in file order.
    /// - Throws: `TaskError.invalidDataset` listing every problem, `.emptyDataset` when there is no item.
    public static func parse(_ data: Data, source: String, verifier: VerifierKind?) throws(TaskError) -> TaskDataset {
        var items: [TaskItem] = []
        var issues: [TaskDatasetIssue] = []
        let decoder = JSONDecoder()
        for (offset, bytes) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        {
            let line = offset + 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try decoder.decode(JSONValue.self, from: Data(bytes))
            } catch {
                issues.append(TaskDatasetIssue(line: line, field: nil, problem: .notJSON))
                continue
            }
            guard case .object(let fields) = value else {
                issues.append(TaskDatasetIssue(line: line, field: nil, problem: .notAnObject))
                continue
            }
            var reader = TaskLineReader(fields: fields, line: line)
            if let item = reader.item(verifier: verifier) { items.append(item) }
            issues += reader.issues
        }
        guard issues.isEmpty else { throw .invalidDataset(source: source, issues: issues) }
        guard !items.isEmpty else { throw .emptyDataset(source: source) }
        return TaskDataset(items: items)
    }

    /// The dataset as JSON Lines in the `TaskRecord` layout, keys sorted; `parse(verifier: nil)` reads it back.
    /// - Returns: the text, with a newline after every item.
    public func jsonLines() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for item in items {
            // Encoding strings and integers cannot fail; the fallback keeps Sources free of `try!`.
            let line = (try? encoder.encode(TaskRecord(item))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            text += line + "\n"
        }
        return text
    }

    /// Writes `jsonLines()` to `path`, replacing the file atomically.
    /// - Parameter path: the file; its directory must exist.
    /// - Throws: `TaskError.io` when writing fails.
    public func write(to path: String) throws(TaskError) {
        do {
            try Data(jsonLines().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .io(path: path, reason: "cannot write the dataset: \(error.localizedDescription)")
        }
    }
}
