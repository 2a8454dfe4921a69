// Decoding configuration objects strictly (a key the type does not know is an error, not silently ignored), and
// decoding errors as one line that names the path to the bad value.

/// A coding key for whatever key an object has.
private struct ObjectKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the object being decoded has a key outside `Keys`, naming it and the known keys.
    ///
    /// Configuration types call it first in `init(from:)`, so that a misspelt setting fails instead of being
    /// ignored.
    /// - Parameter keys: the type's coding keys.
    /// - Throws: `DecodingError.dataCorrupted`.
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Keys.allCases.map(\.stringValue)
        let container = try container(keyedBy: ObjectKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription:
                        "unknown key \"\(unknown)\"; known keys: \(known.sorted().joined(separator: ", "))"))
        }
    }
}

/// Decoding errors in words.
public enum DecodingFailure {
    /// One line for a decoding failure: where in the document and what went wrong.
    /// - Parameter error: the error a decoder threw (other errors are described as they are).
    /// - Returns: e.g. `at model.width: expected Int, found a string`, or `at questions[0].correct: 1.5 is not
    ///   an integer`.
    public static func message(for error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return "\(path(context)): \(describe(context))"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing key \"\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type), \(describe(context))"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected \(type), found null"
        @unknown default:
            return "\(error)"
        }
    }

    /// `at a.b[2].c`, or `at the top level`.
    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "at the top level" : "at " + keys.drop { $0 == "." }
    }

    /// The context's description plus its underlying error, if any.
    private static func describe(_ context: DecodingError.Context) -> String {
        guard let underlying = context.underlyingError else { return context.debugDescription }
        return "\(context.debugDescription) (\(underlying))"
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent (a present value of the wrong type still throws).
    /// - Parameters:
    ///   - key: the key.
    ///   - fallback: the documented default.
    /// - Returns: the decoded value or the default.
    /// - Throws: `DecodingError` for a value that does not decode.
    public func decode<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
