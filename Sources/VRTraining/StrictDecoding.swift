// Decoding helpers that reject unknown JSON keys, so a misspelt setting fails instead of being ignored.

import Foundation

/// Checks of the keys of a JSON object against the keys a type knows.
enum StrictDecoding {
    /// A coding key for any string, used to list the keys an object actually has.
    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws when the object being decoded by `decoder` has a key outside `known`.
    /// - Parameters:
    ///   - decoder: the decoder positioned at the object.
    ///   - known: the keys the type reads.
    /// - Throws: `DecodingError.dataCorrupted` naming the first unknown key (sorted) and the known ones.
    static func rejectUnknownKeys(in decoder: any Decoder, known: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try rejectUnknownKeys(in: container, known: known)
    }

    /// Throws when `container` has a key outside `known`.
    /// - Parameters:
    ///   - container: the object's container.
    ///   - known: the keys the type reads.
    /// - Throws: `DecodingError.dataCorrupted` naming the first unknown key (sorted) and the known ones.
    static func rejectUnknownKeys(in container: KeyedDecodingContainer<AnyKey>, known: [String]) throws {
        let allowed = Set(known)
        guard let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) })
        else { return }
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: "unknown key \"\(unknown)\"; known keys: \(known.sorted().joined(separator: ", "))"))
    }

    /// A one-line message for a decoding failure: where in the document and what went wrong.
    /// - Parameter error: the error `JSONDecoder` threw.
    /// - Returns: e.g. `at model.width: expected Int, found a string`.
    static func message(for error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "at the top level" : "at " + keys.joined(separator: ".")
        }
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "\(path(context)): \(describe(context))"
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context)): missing key \"\(key.stringValue)\""
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context)): expected \(type), \(describe(context))"
        case DecodingError.valueNotFound(let type, let context):
            return "\(path(context)): expected \(type), found null"
        default:
            return "\(error)"
        }
    }

    /// The context's description plus its underlying error, if any.
    private static func describe(_ context: DecodingError.Context) -> String {
        guard let underlying = context.underlyingError else { return context.debugDescription }
        return "\(context.debugDescription) (\(underlying.localizedDescription))"
    }
}
