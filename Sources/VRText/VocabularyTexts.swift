// The model vocabulary's token texts by id, kept for writing the tokenizer back out as a tokenizer.json.
//
// All texts share one UTF-8 buffer with one offset per id, so a 150k-token vocabulary costs about 2 MB rather than a
// String (and often a heap block) per token.

/// The texts of the model vocabulary (byte-level spelling, as tokenizer.json and GGUF files store them), by id.
struct VocabularyTexts: Sendable {
    /// Every entry's UTF-8, in id order.
    private let utf8: [UInt8]
    /// Where each id's text starts in `utf8`, plus `utf8.count` at the end: one more offset than ids.
    private let starts: [UInt32]
    /// Ids below `idCount` that have no entry (ids only an added token has, for instance).
    private let missing: Set<Int32>
    /// Number of entries (tokenizers' `get_vocab_size` of the BPE model).
    let count: Int

    /// Number of ids covered: one more than the largest id in the tokenizer.
    var idCount: Int { starts.count - 1 }

    /// Stores `vocabulary` (text to id, ids unique and non-negative) for ids `0..<idCount`.
    init(_ vocabulary: [String: Int32], idCount: Int) {
        var textOfID = [String?](repeating: nil, count: idCount)
        var byteCount = 0
        for (text, id) in vocabulary {
            textOfID[Int(id)] = text
            byteCount += text.utf8.count
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(byteCount)
        var starts: [UInt32] = []
        starts.reserveCapacity(idCount + 1)
        var missing: Set<Int32> = []
        for (id, text) in textOfID.enumerated() {
            starts.append(UInt32(utf8.count))
            if let text { utf8.append(contentsOf: text.utf8) } else { missing.insert(Int32(id)) }
        }
        starts.append(UInt32(utf8.count))
        self.utf8 = utf8
        self.starts = starts
        self.missing = missing
        count = vocabulary.count
    }

    /// The text of `id`, or nil when the vocabulary has no entry with that id.
    func text(of id: Int32) -> String? {
        utf8(of: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The UTF-8 of `id`'s text, or nil when the vocabulary has no entry with that id.
    func utf8(of id: Int32) -> ArraySlice<UInt8>? {
        guard id >= 0, Int(id) < idCount, !missing.contains(id) else { return nil }
        return utf8[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]
    }

    /// The ids of the entries whose UTF-8 is one of `texts`, found in one pass over the vocabulary.
    ///
    /// Texts are compared byte for byte, as `tokenizers` compares them (Swift's `==` would equate NFC and NFD).
    func ids(ofUTF8 texts: Set<[UInt8]>) -> [[UInt8]: Int32] {
        guard !texts.isEmpty else { return [:] }
        let lengths = Set(texts.map(\.count))
        var found: [[UInt8]: Int32] = [:]
        for id in 0..<Int32(idCount) where !missing.contains(id) {
            let range = Int(starts[Int(id)])..<Int(starts[Int(id) + 1])
            guard lengths.contains(range.count) else { continue }
            let bytes = Array(utf8[range])
            if texts.contains(bytes) { found[bytes] = id }
        }
        return found
    }
}
