// A GPT-2 style byte-level BPE tokenizer that encodes and decodes exactly as Hugging Face `tokenizers` does.
//
// encode(text), as tokenizers' Tokenizer::encode(text, add_special_tokens=False):
//   1. added tokens with normalized=false are found in the raw text (leftmost-longest);
//   2. each stretch between them is normalized (NFC or nothing), then added tokens with normalized=true are found;
//   3. each remaining stretch is pre-tokenized into words (split patterns, digit isolation);
//   4. each word's UTF-8 bytes are merged by BPE into ids (cached per word).
// decode(ids): each token's byte-level spelling back to bytes (a token outside the alphabet: its own UTF-8), all
// joined, invalid UTF-8 replaced by U+FFFD (Rust's String::from_utf8_lossy).

/// A byte-level BPE tokenizer (GPT-2, Llama-3, Qwen2, SmolLM2), built from a tokenizer.json or a GGUF file.
///
/// `encode` equals `tokenizers`' `encode(text, add_special_tokens=False).ids` and `decode` equals
/// `decode(ids, skip_special_tokens=False)` for every configuration the loaders accept; they refuse the others.
/// Copies share one cache of merged words, which is safe to use from many threads.
public struct BPETokenizer: Tokenizer {
    /// Number of ids: one more than the largest id of the vocabulary and the added tokens.
    public let vocabularySize: Int
    /// The added tokens (special tokens and added words), in id order.
    public let addedTokens: [AddedToken]
    /// The id of the beginning-of-sequence token, when the description names one (GGUF files do).
    public internal(set) var beginningOfSequenceID: Int32?
    /// The id of the end-of-sequence token, when the description names one (GGUF files do).
    public internal(set) var endOfSequenceID: Int32?
    /// The id of the padding token, when the description names one (GGUF files do).
    public internal(set) var paddingID: Int32?
    /// The Jinja chat template stored with the tokenizer (GGUF's `tokenizer.chat_template`), if any.
    public internal(set) var chatTemplate: String?

    let model: BPEModel
    let normalization: TextNormalization
    let preTokenizer: PreTokenizer
    /// Added tokens found in the raw text.
    let rawTokens: AddedTokenMatcher
    /// Added tokens found in the normalized text (their contents normalized too).
    let normalizedTokens: AddedTokenMatcher
    /// The bytes `decode` gives for each id; nil for ids no token has.
    let decodedBytes: [[UInt8]?]
    let addedIDByContent: [String: Int32]
    /// The model vocabulary's texts by id, for writing the tokenizer out (`tokenizerJSON()`).
    let vocabularyTexts: VocabularyTexts
    let cache = WordCache()

    // MARK: - Encoding and decoding

    /// The ids of `text`, with special and added tokens recognised where they are written.
    /// - Parameter text: any string.
    /// - Returns: ids in `0..<vocabularySize`.
    public func encode(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        var ids: [Int32] = []
        ids.reserveCapacity(bytes.count / 3)
        var scalars = ScalarText()
        for piece in rawTokens.split(bytes, 0..<bytes.count) {
            if let token = piece.token {
                ids.append(token.id)
            } else if normalization == .none && normalizedTokens.isEmpty {
                appendWordIDs(of: bytes, piece.range, to: &ids, scalars: &scalars)
            } else {
                let normalized = normalization.apply(bytes, piece.range)
                for inner in normalizedTokens.split(normalized, 0..<normalized.count) {
                    if let token = inner.token {
                        ids.append(token.id)
                    } else {
                        appendWordIDs(of: normalized, inner.range, to: &ids, scalars: &scalars)
                    }
                }
            }
        }
        return ids
    }

    /// The text of `ids`: each token's bytes joined, with invalid UTF-8 replaced by U+FFFD.
    /// - Parameter ids: token ids, each of a token.
    /// - Returns: the decoded text.
    /// - Throws: `TextError.idOutOfRange` or `.unassignedID` for the first id that is no token's.
    public func decode(_ ids: [Int32]) throws(TextError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (position, id) in ids.enumerated() {
            guard id >= 0, Int(id) < vocabularySize else {
                throw .idOutOfRange(id: id, position: position, vocabularySize: vocabularySize)
            }
            guard let tokenBytes = decodedBytes[Int(id)] else { throw .unassignedID(id: id, position: position) }
            bytes.append(contentsOf: tokenBytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id of the added token whose text is exactly `text`.
    /// - Parameter text: a special token's or added word's text, such as `<|im_end|>`.
    /// - Returns: its id, or nil if no added token has that text.
    public func id(ofSpecial text: String) -> Int32? {
        addedIDByContent[text]
    }

    /// Appends the ids of the words of `bytes[range]`.
    private func appendWordIDs(of bytes: [UInt8], _ range: Range<Int>, to ids: inout [Int32], scalars: inout ScalarText)
    {
        scalars.load(bytes, range: range)
        for word in preTokenizer.words(of: scalars) {
            let wordBytes = bytes[scalars.byteOffsets[word.lowerBound]..<scalars.byteOffsets[word.upperBound]]
            ids.append(contentsOf: cache.ids(of: wordBytes, merge: model.ids(of:)))
        }
    }
}
