// Decoding configuration objects strictly: a key the type does not know is an error, not silently ignored.

/// A coding key for whatever key an object has.
private struct ObjectKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the object being decoded has a key outside `Keys`, naming it and the known keys.
    /// - Parameter keys: the type's coding keys.
    /// - Throws: `DecodingError.dataCorrupted`.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
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
