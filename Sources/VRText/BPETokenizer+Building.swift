// Building a BPETokenizer from its parts, checked the way tokenizers' BPE builder checks them.

/// Everything a byte-level BPE tokenizer is made of, as read from a tokenizer.json or a GGUF file.
struct BPEDescription {
    /// Where it was read from, for error messages.
    var source: String
    /// Token text (byte-level spelling) to id.
    var vocabulary: [String: Int32]
    /// Merges, highest priority first.
    var merges: [(left: String, right: String)]
    /// The added tokens.
    var addedTokens: [AddedToken]
    var normalization: TextNormalization
    var preTokenizer: PreTokenizer
    /// Whether a word that is a vocabulary entry is taken whole, before any merge.
    var ignoresMerges: Bool
    /// The unknown token's text, if any.
    var unknownToken: String? = nil
    /// Whether consecutive unknown bytes become one unknown token.
    var fusesUnknown: Bool = false
}

extension BPETokenizer {
    /// Builds the tokenizer `description` describes.
    /// - Throws: `TextError.malformedTokenizer` for ids shared by two tokens, merges of tokens outside the
    ///   vocabulary, empty or repeated added tokens, or an unknown token outside the vocabulary.
    init(_ description: BPEDescription) throws(TextError) {
        let source = description.source
        func malformed(_ reason: String) -> TextError { .malformedTokenizer(source: source, reason: reason) }

        var largestID: Int32 = -1
        var tokenOfID: [Int32: String] = [:]
        for (token, id) in description.vocabulary {
            guard id >= 0 else { throw malformed("vocabulary token \(quoted(token)) has negative id \(id)") }
            if let other = tokenOfID.updateValue(token, forKey: id) {
                let (first, second) = other < token ? (other, token) : (token, other)
                throw malformed("vocabulary tokens \(quoted(first)) and \(quoted(second)) both have id \(id)")
            }
            largestID = max(largestID, id)
        }
        var addedIDByContent: [String: Int32] = [:]
        for token in description.addedTokens {
            guard !token.content.isEmpty else { throw malformed("added token \(token.id) has empty content") }
            guard token.id >= 0 else { throw malformed("added token \(quoted(token.content)) has id \(token.id)") }
            guard addedIDByContent.updateValue(token.id, forKey: token.content) == nil else {
                throw malformed("added token \(quoted(token.content)) appears twice")
            }
            largestID = max(largestID, token.id)
        }
        guard largestID >= 0 else { throw malformed("the vocabulary is empty") }

        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(description.merges.count)
        for (rank, merge) in description.merges.enumerated() {
            let merged = merge.left + merge.right
            guard let left = description.vocabulary[merge.left], let right = description.vocabulary[merge.right],
                let mergedID = description.vocabulary[merged]
            else {
                let missing = [merge.left, merge.right, merged].first { description.vocabulary[$0] == nil } ?? merged
                throw malformed(
                    "merge \(rank + 1) (\(quoted(merge.left)) \(quoted(merge.right))) needs \(quoted(missing)), "
                        + "which is not in the vocabulary")
            }
            merges[BPEModel.pairKey(left, right)] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: mergedID))
        }

        var idOfByte = [Int32](repeating: -1, count: 256)
        var wholeWords: [WordKey: Int32] = [:]
        var decodedBytes = [[UInt8]?](repeating: nil, count: Int(largestID) + 1)
        for (token, id) in description.vocabulary {
            let spelled = ByteLevelAlphabet.bytes(spelledBy: token)
            if let spelled, spelled.count == 1 { idOfByte[Int(spelled[0])] = id }
            if description.ignoresMerges, let spelled { wholeWords[WordKey(bytes: spelled[...])] = id }
            decodedBytes[Int(id)] = spelled ?? Array(token.utf8)
        }
        for token in description.addedTokens {
            decodedBytes[Int(token.id)] = ByteLevelAlphabet.decodedBytes(of: token.content)
        }
        var unknownID: Int32?
        if let unknown = description.unknownToken {
            guard let id = description.vocabulary[unknown] else {
                throw malformed("the unknown token \(quoted(unknown)) is not in the vocabulary")
            }
            unknownID = id
        }

        let normalization = description.normalization
        vocabularySize = Int(largestID) + 1
        addedTokens = description.addedTokens.sorted { $0.id < $1.id }
        model = BPEModel(
            idOfByte: idOfByte, merges: merges, wholeWords: description.ignoresMerges ? wholeWords : nil,
            unknownID: unknownID, fusesUnknown: description.fusesUnknown)
        self.normalization = normalization
        preTokenizer = description.preTokenizer
        rawTokens = AddedTokenMatcher(description.addedTokens.filter { !$0.normalized })
        normalizedTokens = AddedTokenMatcher(description.addedTokens.filter(\.normalized)) { token in
            String(
                decoding: normalization.apply(Array(token.content.utf8), 0..<token.content.utf8.count), as: UTF8.self)
        }
        self.decodedBytes = decodedBytes
        self.addedIDByContent = addedIDByContent
        vocabularyTexts = VocabularyTexts(description.vocabulary, idCount: vocabularySize)
    }
}

/// `text` in double quotes, with control characters escaped, for error messages.
func quoted(_ text: String) -> String {
    "\""
        + text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : "\($0)" }
        .joined() + "\""
}
