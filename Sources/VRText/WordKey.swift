// A word's bytes as a dictionary key, hashed in one call rather than byte by byte.

/// The UTF-8 bytes of a word, as the key of the word cache and of the whole-word vocabulary.
struct WordKey: Hashable, Sendable {
    /// The bytes; a slice of the text being encoded for lookups, an array of its own once stored.
    let bytes: ArraySlice<UInt8>

    static func == (left: WordKey, right: WordKey) -> Bool {
        left.bytes.elementsEqual(right.bytes)
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The key with bytes of its own, so that storing it does not keep the text it came from alive.
    var detached: WordKey { WordKey(bytes: ArraySlice(Array(bytes))) }
}
