// A step's metrics as the fields of a structured log line, and back: how `vr learner --json` reports each step,
// and how a process that runs it reads its progress.

import Foundation

extension StepMetrics {
    /// Every key of the metrics line with its value as text (a nested object as a JSON line of text values).
    public var logFields: [String: String] {
        guard let data = try? Self.encoder.encode(self),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var fields = object.compactMapValues { value -> String? in
            guard let nested = value as? [String: Any] else { return "\(value)" }
            return Self.text(of: nested.mapValues { "\($0)" })
        }
        // JSONSerialization reads booleans back as numbers.
        fields["applied"] = applied.map { "\($0)" }
        return fields
    }

    /// Reads the metrics back from the fields of a log line (`logFields`; other fields are ignored).
    /// - Parameter logFields: the log line's fields.
    /// - Throws: `DecodingError` naming a missing or mistyped metric.
    public init(logFields: [String: String]) throws {
        let object = logFields.mapValues(Self.value(ofText:))
        let data = try JSONSerialization.data(withJSONObject: object)
        self = try Self.decoder.decode(StepMetrics.self, from: data)
    }

    /// The JSON value a field's text stands for: a number, a Boolean, an object (its values read the same way),
    /// or else the text itself (a phase, or "nan" for a non-finite value, which ``decoder`` reads).
    private static func value(ofText text: String) -> Any {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed),
            !(parsed is String)
        else { return text }
        if let nested = parsed as? [String: Any] {
            return nested.mapValues { ($0 as? String).map(value(ofText:)) ?? $0 }
        }
        return parsed
    }

    private static func text(of object: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
