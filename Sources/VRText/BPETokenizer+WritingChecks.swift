// What writing a tokenizer.json needs beyond the tokenizer's parts: the regex of each split pattern, and the check
// that `tokenizers` gives every added token the id it has here.
//
// tokenizers does not read the ids of added_tokens (tokenizer/serialization.rs, AddedVocabulary::add_tokens):
//
// for token in added_tokens:                                        (in file order, ascending id)
//     id = added[token.content] or model.vocab[token.content] or next_id()
// next_id(): none added yet: len(model.vocab); else m = max(added ids): m + 1 if m >= len(model.vocab) or the
//            vocabulary is empty, else len(model.vocab)
//
// The loaders here take the written ids as they are, so a hand-made file can hold ids tokenizers would change.

extension BPETokenizer {
    /// Refuses added tokens that `tokenizers` would give another id than theirs on loading the written file.
    func checkAddedTokenIDs() throws(TextError) {
        func hasOwnID(_ token: AddedToken) -> Bool {
            vocabularyTexts.utf8(of: token.id)?.elementsEqual(token.content.utf8) ?? false
        }
        let elsewhere = vocabularyTexts.ids(
            ofUTF8: Set(addedTokens.filter { !hasOwnID($0) }.map { Array($0.content.utf8) }))
        let modelCount = Int32(vocabularyTexts.count)
        var largest: Int32?
        for (index, token) in addedTokens.enumerated() {
            let assigned: Int32
            if hasOwnID(token) {
                assigned = token.id
            } else if let id = elsewhere[Array(token.content.utf8)] {
                assigned = id
            } else if let largest, largest >= modelCount || modelCount == 0 {
                assigned = largest + 1
            } else {
                assigned = modelCount
            }
            guard assigned == token.id else {
                let reason =
                    elsewhere[Array(token.content.utf8)] != nil
                    ? "the vocabulary has it" : "it is not in the vocabulary, whose size is \(modelCount)"
                throw .unsupportedTokenizer(
                    source: "tokenizer.json", field: "added_tokens[\(index)]",
                    value: "\(quoted(token.content)) with id \(token.id), which tokenizers would load as id "
                        + "\(assigned) (\(reason))")
            }
            largest = max(largest ?? assigned, assigned)
        }
    }
}

extension SplitPattern {
    /// The regex tokenizer.json files write for this pattern; nil for a digit limit no known tokenizer uses.
    var regex: String? {
        switch self {
        case .gpt2: Self.gpt2Regex
        case .llama3(maximumDigits: 3): Self.llama3Regex
        case .llama3(maximumDigits: 1): Self.qwen2Regex
        case .llama3: nil
        }
    }
}
