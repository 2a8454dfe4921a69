// Reading the run directory's JSON and JSON-lines files, turning every failure into a `ReportError` that names
// the file and, for JSON lines, the line.

import Foundation
import VRRecords

/// Reads JSON and JSON-lines files into `Decodable` values.
enum JSONFileReader {
    /// The bytes of the file at `url`.
    /// - Parameter url: the file.
    /// - Returns: its contents.
    /// - Throws: `ReportError.unreadableFile` when it is missing or unreadable.
    static func data(at url: URL) throws(ReportError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .unreadableFile(path: url.path, reason: "no such file")
        }
        do { return try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The text of the UTF-8 file at `url`.
    /// - Parameter url: the file.
    /// - Returns: its contents.
    /// - Throws: `ReportError.unreadableFile` when it is missing, unreadable or not UTF-8.
    static func text(at url: URL) throws(ReportError) -> String {
        guard let text = String(data: try data(at: url), encoding: .utf8) else {
            throw .unreadableFile(path: url.path, reason: "not UTF-8 text")
        }
        return text
    }

    /// The value encoded as JSON in the file at `url`.
    /// - Parameters:
    ///   - type: the value's type.
    ///   - url: the file.
    /// - Returns: the value.
    /// - Throws: `ReportError.unreadableFile` or `.malformedFile`.
    static func value<Value: Decodable>(_ type: Value.Type, at url: URL) throws(ReportError) -> Value {
        let data = try data(at: url)
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw .malformedFile(path: url.path, reason: summary(of: error))
        }
    }

    /// The values of the JSON-lines file at `url`, one per non-blank line.
    /// - Parameters:
    ///   - type: the type of each line's value.
    ///   - url: the file.
    /// - Returns: the values in file order.
    /// - Throws: `ReportError.unreadableFile`, or `.malformedLine` naming the first line that does not decode.
    static func lines<Value: Decodable>(_ type: Value.Type, at url: URL) throws(ReportError) -> [Value] {
        // Metrics lines write a skipped step's non-finite loss as "nan" or "inf".
        let decoder = StepMetrics.decoder
        var values: [Value] = []
        for (index, line) in try text(at: url).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do { values.append(try decoder.decode(type, from: Data(line.utf8))) } catch {
                throw .malformedLine(path: url.path, line: index + 1, reason: summary(of: error))
            }
        }
        return values
    }

    /// A one-line account of a decoding failure: what is wrong and where in the value.
    private static func summary(of error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return error.localizedDescription }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\"\(location(context))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "expected \(type)\(location(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(context.debugDescription)\(location(context))"
        @unknown default:
            return "\(decodingError)"
        }
    }

    /// ` at a.b[2]` for a non-empty coding path, else nothing.
    private static func location(_ context: DecodingError.Context) -> String {
        guard !context.codingPath.isEmpty else { return "" }
        let path = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
        return " at " + String(path.joined().drop(while: { $0 == "." }))
    }
}
