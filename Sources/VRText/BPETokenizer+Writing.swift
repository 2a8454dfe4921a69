// Writing a BPETokenizer as a Hugging Face tokenizer.json and tokenizer_config.json: `tokenizers` and transformers
// load them and encode as this tokenizer does, and BPETokenizer(tokenizerJSON:) reads the tokenizer.json back as it is.
//
// The merges are not kept as a list: their dictionary holds each pair's rank, so sorting it by rank gives the list
// back (a pair listed twice keeps its last rank, in tokenizers as here, so writing it once changes nothing).

import Foundation

extension BPETokenizer {
    /// The tokenizer as a Hugging Face tokenizer.json.
    ///
    /// It holds the model vocabulary (ordered by id, in byte-level spelling), the merges in rank order as `[a, b]`
    /// pairs, `ignore_merges`, the unknown token, the added tokens with all their flags (by id), the normalizer (null
    /// or NFC), the pre-tokenizer as tokenizers expresses it (GPT-2's split as `ByteLevel(use_regex: true)`, any
    /// other split as a `Split` step, digit isolation as `Digits(individual_digits)`, inside a `Sequence` ending in
    /// `ByteLevel`) and the ByteLevel decoder; no post-processor, truncation or padding. Keys are sorted; the same
    /// tokenizer always gives the same bytes.
    /// - Returns: the file's UTF-8 bytes.
    /// - Throws: `TextError.unsupportedTokenizer` for an added token that tokenizers would give another id when
    ///   loading the file (it keeps the vocabulary's id of a token the vocabulary has, and numbers the others on
    ///   from the model vocabulary's size), or a split pattern that has no regex.
    public func tokenizerJSON() throws(TextError) -> Data {
        try checkAddedTokenIDs()
        let normalizer: JSONText = normalization == .nfc ? .sortedObject(["type": .string("NFC")]) : .null
        let root: [String: JSONText] = [
            "version": .string("1.0"),
            "truncation": .null,
            "padding": .null,
            "added_tokens": .array(addedTokens.map(Self.json(of:))),
            "normalizer": normalizer,
            "pre_tokenizer": try preTokenizerJSON(),
            "post_processor": .null,
            "decoder": Self.byteLevelJSON(addsPrefixSpace: true, usesRegex: true),
            "model": try modelJSON(),
        ]
        return Data(JSONText.sortedObject(root).utf8())
    }

    /// A minimal tokenizer_config.json for transformers' `AutoTokenizer`, to go beside `tokenizerJSON()`.
    ///
    /// It names `PreTrainedTokenizerFast`, sets `add_bos_token` and `add_eos_token` false (so transformers adds no
    /// special tokens, as `encode` adds none), `clean_up_tokenization_spaces` false, `model_max_length` to
    /// transformers' "no limit" (`int(1e30)`), and `bos_token`, `eos_token` and `pad_token` to the contents of the
    /// added tokens with `beginningOfSequenceID`, `endOfSequenceID` and `paddingID` (an id no added token has is left
    /// out, since transformers would make its text an added token and change how it encodes).
    /// - Parameter chatTemplate: the Jinja chat template to store as `chat_template`, if any.
    /// - Returns: the file's UTF-8 bytes, keys sorted.
    public func tokenizerConfigJSON(chatTemplate: String?) -> Data {
        var members: [String: JSONText] = [
            "tokenizer_class": .string("PreTrainedTokenizerFast"),
            "add_bos_token": .bool(false),
            "add_eos_token": .bool(false),
            "clean_up_tokenization_spaces": .bool(false),
            "model_max_length": .number("1000000000000000019884624838656"),
        ]
        let named = [
            ("bos_token", beginningOfSequenceID), ("eos_token", endOfSequenceID), ("pad_token", paddingID),
        ]
        for (key, id) in named {
            if let id, let token = addedTokens.first(where: { $0.id == id }) { members[key] = .string(token.content) }
        }
        if let chatTemplate { members["chat_template"] = .string(chatTemplate) }
        return Data(JSONText.sortedObject(members).utf8())
    }

    // MARK: - Parts

    /// `model`: a BPE model with the vocabulary by id and the merges by rank.
    private func modelJSON() throws(TextError) -> JSONText {
        func text(of id: Int32) throws(TextError) -> String {
            guard let text = vocabularyTexts.text(of: id) else {
                throw .malformedTokenizer(source: "tokenizer.json", reason: "no vocabulary entry has id \(id)")
            }
            return text
        }
        var vocabulary: [(key: String, value: JSONText)] = []
        vocabulary.reserveCapacity(vocabularyTexts.count)
        for id in 0..<Int32(vocabularyTexts.idCount) {
            if let text = vocabularyTexts.text(of: id) { vocabulary.append((text, .integer(Int(id)))) }
        }
        var merges: [JSONText] = []
        merges.reserveCapacity(model.merges.count)
        for (pair, _) in model.merges.sorted(by: { $0.value < $1.value }) {
            let left = Int32(truncatingIfNeeded: pair >> 32)
            let right = Int32(truncatingIfNeeded: pair)
            merges.append(.array([.string(try text(of: left)), .string(try text(of: right))]))
        }
        return .sortedObject([
            "type": .string("BPE"),
            "dropout": .null,
            "unk_token": try model.unknownID.map { id throws(TextError) in .string(try text(of: id)) } ?? .null,
            "continuing_subword_prefix": .null,
            "end_of_word_suffix": .null,
            "fuse_unk": .bool(model.fusesUnknown),
            "byte_fallback": .bool(false),
            "ignore_merges": .bool(model.wholeWords != nil),
            "vocab": .object(vocabulary),
            "merges": .array(merges),
        ])
    }

    /// `pre_tokenizer`: the steps, the last GPT-2 split folded into `ByteLevel(use_regex: true)`.
    private func preTokenizerJSON() throws(TextError) -> JSONText {
        var steps = preTokenizer.steps
        let usesRegex = steps.last == .split(.gpt2)
        if usesRegex { steps.removeLast() }
        let byteLevel = Self.byteLevelJSON(addsPrefixSpace: false, usesRegex: usesRegex)
        if steps.isEmpty { return byteLevel }
        var nodes: [JSONText] = []
        for step in steps {
            switch step {
            case .split(let pattern):
                guard let regex = pattern.regex else {
                    throw .unsupportedTokenizer(
                        source: "tokenizer.json", field: "pre_tokenizer", value: "the split pattern \(pattern)")
                }
                nodes.append(
                    .sortedObject([
                        "type": .string("Split"), "pattern": .sortedObject(["Regex": .string(regex)]),
                        "behavior": .string("Isolated"), "invert": .bool(false),
                    ]))
            case .isolateNumbers:
                nodes.append(.sortedObject(["type": .string("Digits"), "individual_digits": .bool(true)]))
            }
        }
        return .sortedObject(["type": .string("Sequence"), "pretokenizers": .array(nodes + [byteLevel])])
    }

    /// A `ByteLevel` pre-tokenizer or decoder.
    private static func byteLevelJSON(addsPrefixSpace: Bool, usesRegex: Bool) -> JSONText {
        .sortedObject([
            "type": .string("ByteLevel"), "add_prefix_space": .bool(addsPrefixSpace), "trim_offsets": .bool(true),
            "use_regex": .bool(usesRegex),
        ])
    }

    /// One entry of `added_tokens`.
    private static func json(of token: AddedToken) -> JSONText {
        .sortedObject([
            "id": .integer(Int(token.id)), "content": .string(token.content), "single_word": .bool(token.singleWord),
            "lstrip": .bool(token.stripsLeft), "rstrip": .bool(token.stripsRight),
            "normalized": .bool(token.normalized), "special": .bool(token.special),
        ])
    }
}
