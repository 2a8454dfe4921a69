// Loading a BPETokenizer from a GGUF file's tokenizer metadata (llama.cpp's keys), reproducing the Hugging Face
// tokenizer the file was converted from.

import VRGGUF

extension BPETokenizer {
    /// The tokenizer each `tokenizer.ggml.pre` name stands for.
    ///
    /// Each entry holds the original tokenizer.json's pre-tokenizer, normalizer and ignore_merges; the split patterns
    /// are those of llama.cpp's src/llama-vocab.cpp for each name.
    static let ggufPreTokenizers:
        [String: (steps: [PreTokenizerStep], normalization: TextNormalization, ignoresMerges: Bool)] = [
            "gpt-2": ([.split(.gpt2)], .none, false),
            "llama3": ([.split(.llama3(maximumDigits: 3))], .none, true),
            "llama-v3": ([.split(.llama3(maximumDigits: 3))], .none, true),
            "llama-bpe": ([.split(.llama3(maximumDigits: 3))], .none, true),
            "qwen2": ([.split(.llama3(maximumDigits: 1))], .nfc, false),
            "smollm": ([.isolateNumbers, .split(.gpt2)], .none, false),
        ]

    /// Loads the tokenizer of the GGUF file at `path`.
    /// - Parameter path: a `.gguf` file.
    /// - Throws: `TextError.malformedTokenizer` if the file cannot be read or its tokenizer metadata is malformed,
    ///   `.unsupportedTokenizer` naming the key whose value this tokenizer does not reproduce.
    public init(ggufPath path: String) throws(TextError) {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw .malformedTokenizer(source: path, reason: error.description)
        }
        try self.init(gguf: file)
    }

    /// Loads the tokenizer of an opened GGUF file.
    ///
    /// Reads `tokenizer.ggml.model` (must be `gpt2`), `tokenizer.ggml.pre` (`gpt-2`, `llama3`, `llama-v3`,
    /// `llama-bpe`, `qwen2` or `smollm`; `qwen2` implies the NFC normalizer, the Llama-3 names ignore_merges, as
    /// their tokenizer.json files say), `tokenizer.ggml.tokens`, `tokenizer.ggml.merges`, `tokenizer.ggml.token_type`
    /// (1 normal, 3 control: a special added token, 4 user-defined: an added word, 5 unused: a plain entry), the
    /// bos, eos and padding ids, and `tokenizer.chat_template`.
    /// - Parameter file: an opened GGUF file.
    /// - Throws: `TextError.malformedTokenizer` naming the malformed key, `.unsupportedTokenizer` naming the key
    ///   whose value this tokenizer does not reproduce.
    public init(gguf file: GGUFFile) throws(TextError) {
        let source = file.path
        let metadata = file.metadata
        func malformed(_ reason: String) -> TextError { .malformedTokenizer(source: source, reason: reason) }
        func string(_ key: String) throws(TextError) -> String {
            guard let value = metadata[key] else { throw malformed("the metadata has no \(key)") }
            guard let text = value.string else { throw malformed("\(key) is \(value), not a string") }
            return text
        }
        func strings(_ key: String) throws(TextError) -> [String] {
            guard let value = metadata[key] else { throw malformed("the metadata has no \(key)") }
            guard let array = value.array else { throw malformed("\(key) is not an array") }
            var texts: [String] = []
            texts.reserveCapacity(array.count)
            for (index, element) in array.enumerated() {
                guard let text = element.string else { throw malformed("\(key)[\(index)] is \(element), not a string") }
                texts.append(text)
            }
            return texts
        }

        let model = try string("tokenizer.ggml.model")
        guard model == "gpt2" else {
            throw .unsupportedTokenizer(source: source, field: "tokenizer.ggml.model", value: quoted(model))
        }
        let preName = try string("tokenizer.ggml.pre")
        guard let pre = Self.ggufPreTokenizers[preName] else {
            let known = Self.ggufPreTokenizers.keys.sorted().joined(separator: ", ")
            throw .unsupportedTokenizer(
                source: source, field: "tokenizer.ggml.pre", value: "\(quoted(preName)) (supported: \(known))")
        }
        let tokens = try strings("tokenizer.ggml.tokens")
        let types = try Self.tokenTypes(metadata["tokenizer.ggml.token_type"], count: tokens.count, source: source)
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        var addedTokens: [AddedToken] = []
        for (index, token) in tokens.enumerated() {
            let id = Int32(index)
            if let earlier = vocabulary.updateValue(id, forKey: token) {
                throw malformed("tokenizer.ggml.tokens[\(earlier)] and [\(index)] are both \(quoted(token))")
            }
            switch types[index] {
            case 1, 5: break
            case 3: addedTokens.append(AddedToken(id: id, content: token, special: true, normalized: false))
            case 4: addedTokens.append(AddedToken(id: id, content: token, special: false, normalized: false))
            case let type:
                throw .unsupportedTokenizer(
                    source: source, field: "tokenizer.ggml.token_type[\(index)]",
                    value: "\(type) (supported: 1 normal, 3 control, 4 user-defined, 5 unused)")
            }
        }
        var merges: [(left: String, right: String)] = []
        for (index, merge) in try strings("tokenizer.ggml.merges").enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw malformed("tokenizer.ggml.merges[\(index)] is \(quoted(merge)), not two tokens and one space")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        try self.init(
            BPEDescription(
                source: source, vocabulary: vocabulary, merges: merges, addedTokens: addedTokens,
                normalization: pre.normalization, preTokenizer: PreTokenizer(steps: pre.steps),
                ignoresMerges: pre.ignoresMerges))
        beginningOfSequenceID = try Self.tokenID(metadata, "tokenizer.ggml.bos_token_id", count: tokens.count, source)
        endOfSequenceID = try Self.tokenID(metadata, "tokenizer.ggml.eos_token_id", count: tokens.count, source)
        paddingID = try Self.tokenID(metadata, "tokenizer.ggml.padding_token_id", count: tokens.count, source)
        if let template = metadata["tokenizer.chat_template"] {
            guard let text = template.string else { throw malformed("tokenizer.chat_template is not a string") }
            chatTemplate = text
        }
    }

    /// `tokenizer.ggml.token_type`: one integer per token; all normal (1) when absent.
    private static func tokenTypes(_ value: GGUFValue?, count: Int, source: String) throws(TextError) -> [Int] {
        guard let value else { return [Int](repeating: 1, count: count) }
        guard let array = value.array, array.count == count else {
            throw .malformedTokenizer(
                source: source,
                reason: "tokenizer.ggml.token_type does not hold one integer for each of \(count) tokens")
        }
        var types: [Int] = []
        types.reserveCapacity(count)
        for (index, element) in array.enumerated() {
            guard let type = element.int else {
                throw .malformedTokenizer(
                    source: source, reason: "tokenizer.ggml.token_type[\(index)] is \(element), not an integer")
            }
            types.append(type)
        }
        return types
    }

    /// The token id stored under `key`, if any; it must name one of the `count` tokens.
    private static func tokenID(
        _ metadata: [String: GGUFValue], _ key: String, count: Int, _ source: String
    ) throws(TextError) -> Int32? {
        guard let value = metadata[key] else { return nil }
        guard let id = value.int, (0..<count).contains(id) else {
            throw .malformedTokenizer(source: source, reason: "\(key) is \(value), not a token id below \(count)")
        }
        return Int32(id)
    }
}
