// A byte-level tokenizer: UTF-8 bytes are ids 0...255, special tokens follow from 256.

/// Turns text into token ids and back: one id per UTF-8 byte, one id per special-token string.
///
/// Ids `0...255` are raw bytes, ids `256..<vocabularySize` are the `SpecialToken` cases in order.
/// `decode(encode(text)) == text` for every string. The converse does not hold: the bytes of
/// `<|end|>` decode to the same text as the special id, and encode to the special id.
public struct ByteTokenizer: Sendable {
    /// Number of ids: 256 bytes plus the special tokens (268).
    public static let vocabularySize = 256 + SpecialToken.allCases.count

    /// The special tokens' UTF-8 texts, longest first so the first match is the longest.
    private let specialsByLength: [(bytes: [UInt8], token: SpecialToken)]

    /// Creates the tokenizer.
    public init() {
        specialsByLength = SpecialToken.allCases.map { (Array($0.text.utf8), $0) }
            .sorted { $0.bytes.count > $1.bytes.count }
    }

    /// Number of ids: 256 bytes plus the special tokens (268).
    public var vocabularySize: Int { Self.vocabularySize }

    // MARK: - Encoding and decoding

    /// Splits `text` into ids: each special-token string becomes its id, every other byte its own id.
    ///
    /// At each position the longest special-token text that starts there wins; anything that only
    /// resembles one (e.g. `<|begin_of`) stays bytes.
    /// - Parameter text: any string.
    /// - Returns: the ids, each in `0..<vocabularySize`.
    /// - Complexity: O(n) in the UTF-8 length, times the number of special tokens at each `<|`.
    public func encode(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        var ids: [Int32] = []
        ids.reserveCapacity(bytes.count)
        var position = 0
        while position < bytes.count {
            if let token = specialToken(in: bytes, at: position) {
                ids.append(token.id)
                position += token.text.utf8.count
            } else {
                ids.append(Int32(bytes[position]))
                position += 1
            }
        }
        return ids
    }

    /// Joins the bytes and special-token texts of `ids` into a string.
    ///
    /// Byte sequences that are not valid UTF-8 become U+FFFD (one per maximal invalid subsequence).
    /// - Parameter ids: token ids, each in `0..<vocabularySize`.
    /// - Returns: the decoded text.
    /// - Throws: `TextError.idOutOfRange` for the first id outside the vocabulary.
    public func decode(_ ids: [Int32]) throws(TextError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() {
            guard appendBytes(of: id, to: &bytes) else {
                throw .idOutOfRange(id: id, position: position, vocabularySize: vocabularySize)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes like `decode(_:)` but renders an id outside the vocabulary as `<|unknown:ID|>`.
    ///
    /// Meant for logs of model output, where a model with a larger vocabulary may emit such ids.
    /// - Parameter ids: any token ids.
    /// - Returns: the decoded text.
    public func decodeLossy(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count)
        for id in ids where !appendBytes(of: id, to: &bytes) {
            bytes.append(contentsOf: "<|unknown:\(id)|>".utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Single ids

    /// The id of a special token.
    /// - Parameter special: the token.
    /// - Returns: its id, in `256..<vocabularySize`.
    public func id(of special: SpecialToken) -> Int32 {
        special.id
    }

    /// Whether `id` is one of the special tokens.
    /// - Parameter id: any id.
    /// - Returns: `true` for ids in `256..<vocabularySize`.
    public func isSpecial(_ id: Int32) -> Bool {
        SpecialToken(rawValue: id) != nil
    }

    /// The text of a single id: a special token's text, or its byte decoded alone.
    ///
    /// A byte at or above 0x80 is not valid UTF-8 on its own and gives U+FFFD.
    /// - Parameter id: an id in `0..<vocabularySize`.
    /// - Returns: the text.
    /// - Throws: `TextError.idOutOfRange` (position 0) if `id` is outside the vocabulary.
    public func text(of id: Int32) throws(TextError) -> String {
        try decode([id])
    }

    // MARK: - Helpers

    /// The special token whose text starts at `position`, if any (longest match).
    private func specialToken(in bytes: [UInt8], at position: Int) -> SpecialToken? {
        // Every special text starts with "<|"; most positions are rejected here.
        guard bytes[position] == UInt8(ascii: "<"), position + 1 < bytes.count,
            bytes[position + 1] == UInt8(ascii: "|")
        else { return nil }
        for (text, token) in specialsByLength where position + text.count <= bytes.count {
            if bytes[position..<(position + text.count)].elementsEqual(text) { return token }
        }
        return nil
    }

    /// Appends the bytes `id` stands for; returns `false` if `id` is outside the vocabulary.
    private func appendBytes(of id: Int32, to bytes: inout [UInt8]) -> Bool {
        if id >= 0 && id < 256 {
            bytes.append(UInt8(id))
        } else if let token = SpecialToken(rawValue: id) {
            bytes.append(contentsOf: token.text.utf8)
        } else {
            return false
        }
        return true
    }
}
