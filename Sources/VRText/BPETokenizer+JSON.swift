// Loading a BPETokenizer from a Hugging Face tokenizer.json; whatever it cannot reproduce exactly is refused.

import Foundation

extension BPETokenizer {
    /// Loads the tokenizer.json at `path`.
    /// - Parameter path: a tokenizer.json file.
    /// - Throws: `TextError.malformedTokenizer` if it cannot be read or is malformed, `.unsupportedTokenizer` naming
    ///   the field it cannot reproduce.
    public init(tokenizerJSONPath path: String) throws(TextError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .malformedTokenizer(source: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        try self.init(tokenizerJSON: data, source: path)
    }

    /// Loads a tokenizer.json held in memory.
    ///
    /// Accepted: model `BPE` (merges as `"a b"` or `["a", "b"]`, `ignore_merges`, optional `unk_token` and
    /// `fuse_unk`); normalizer null or `NFC`; pre_tokenizer `ByteLevel` (`add_prefix_space` false, with or without
    /// `use_regex`), or a `Sequence` of `Split` (a GPT-2, Llama-3 or Qwen2 regex, `Isolated`, not inverted) and
    /// `Digits` (`individual_digits`) steps ending in `ByteLevel`; decoder `ByteLevel`; added tokens with any flags.
    /// The post-processor is not read: `encode` adds no special tokens, as with `add_special_tokens=False`.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - source: where they came from, for error messages.
    /// - Throws: `TextError.malformedTokenizer` naming what is malformed, `.unsupportedTokenizer` naming the field
    ///   it cannot reproduce.
    public init(tokenizerJSON data: Data, source: String = "tokenizer.json") throws(TextError) {
        let file: TokenizerJSONFile
        do {
            file = try JSONDecoder().decode(TokenizerJSONFile.self, from: data)
        } catch let refusal as TokenizerJSONRefusal {
            switch refusal {
            case .unsupported(let field, let value):
                throw .unsupportedTokenizer(source: source, field: field, value: value)
            case .malformed(let path, let reason):
                throw .malformedTokenizer(source: source, reason: "\(path): \(reason)")
            }
        } catch let error as DecodingError {
            throw .malformedTokenizer(source: source, reason: Self.describe(error))
        } catch {
            throw .malformedTokenizer(source: source, reason: "\(error)")
        }
        try self.init(Self.description(of: file, source: source))
    }

    /// The description of `file`, refusing what cannot be reproduced.
    private static func description(of file: TokenizerJSONFile, source: String) throws(TextError) -> BPEDescription {
        func refuse(_ field: String, _ value: String) -> TextError {
            .unsupportedTokenizer(source: source, field: field, value: value)
        }
        let model = file.model
        if let dropout = model.dropout, dropout != 0 { throw refuse("model.dropout", "\(dropout)") }
        if let prefix = model.continuingSubwordPrefix, !prefix.isEmpty {
            throw refuse("model.continuing_subword_prefix", quoted(prefix))
        }
        if let suffix = model.endOfWordSuffix, !suffix.isEmpty {
            throw refuse("model.end_of_word_suffix", quoted(suffix))
        }
        if model.byteFallback == true { throw refuse("model.byte_fallback", "true") }
        if file.truncation != nil { throw refuse("truncation", "set") }
        if file.padding != nil { throw refuse("padding", "set") }

        let normalization: TextNormalization
        switch file.normalizer?.type {
        case nil where file.normalizer == nil: normalization = .none
        case "NFC": normalization = .nfc
        case let type: throw refuse("normalizer.type", type ?? "missing")
        }
        guard let decoder = file.decoder else { throw refuse("decoder", "null") }
        guard decoder.type == "ByteLevel" else { throw refuse("decoder.type", decoder.type ?? "missing") }
        guard let node = file.preTokenizer else { throw refuse("pre_tokenizer", "null") }
        let steps = try preTokenizerSteps(node, path: "pre_tokenizer", source: source)

        let addedTokens = (file.addedTokens ?? []).map { entry in
            AddedToken(
                id: entry.id, content: entry.content, special: entry.special ?? false,
                singleWord: entry.singleWord ?? false, stripsLeft: entry.stripsLeft ?? false,
                stripsRight: entry.stripsRight ?? false, normalized: entry.normalized)
        }
        return BPEDescription(
            source: source, vocabulary: model.vocab, merges: model.merges.map { ($0.left, $0.right) },
            addedTokens: addedTokens, normalization: normalization, preTokenizer: PreTokenizer(steps: steps),
            ignoresMerges: model.ignoresMerges ?? false, unknownToken: model.unknownToken,
            fusesUnknown: model.fusesUnknown ?? false)
    }

    /// The steps of a pre-tokenizer, which must end with its one `ByteLevel` step.
    private static func preTokenizerSteps(
        _ node: TokenizerJSONFile.PreTokenizerNode, path: String, source: String
    ) throws(TextError) -> [PreTokenizerStep] {
        var nodes: [(node: TokenizerJSONFile.PreTokenizerNode, path: String)] = []
        if node.type == "Sequence" {
            for (index, child) in (node.pretokenizers ?? []).enumerated() {
                nodes.append((child, "\(path).pretokenizers[\(index)]"))
            }
        } else {
            nodes.append((node, path))
        }
        guard let last = nodes.last, last.node.type == "ByteLevel" else {
            throw .unsupportedTokenizer(
                source: source, field: path, value: "a pre-tokenizer that does not end with ByteLevel")
        }
        var steps: [PreTokenizerStep] = []
        for (node, path) in nodes {
            if let step = try preTokenizerStep(node, path: path, isLast: path == last.path, source: source) {
                steps.append(step)
            }
        }
        return steps
    }

    /// The step of one pre-tokenizer; nil for `ByteLevel(use_regex: false)`, which does not split.
    private static func preTokenizerStep(
        _ node: TokenizerJSONFile.PreTokenizerNode, path: String, isLast: Bool, source: String
    ) throws(TextError) -> PreTokenizerStep? {
        func refuse(_ field: String, _ value: String) -> TextError {
            .unsupportedTokenizer(source: source, field: "\(path).\(field)", value: value)
        }
        switch node.type {
        case "ByteLevel" where isLast:
            guard node.addsPrefixSpace == false else {
                throw refuse("add_prefix_space", node.addsPrefixSpace.map { "\($0)" } ?? "missing")
            }
            return node.usesRegex ?? true ? .split(.gpt2) : nil
        case "Split":
            guard let pattern = node.pattern, let regex = pattern.regex else {
                throw refuse("pattern", node.pattern?.string.map { "the String \(quoted($0))" } ?? "missing")
            }
            guard let split = SplitPattern(regex: regex) else { throw refuse("pattern.Regex", quoted(regex)) }
            guard node.behavior == "Isolated" else { throw refuse("behavior", node.behavior ?? "missing") }
            guard node.invert != true else { throw refuse("invert", "true") }
            return .split(split)
        case "Digits":
            guard node.individualDigits == true else {
                throw refuse("individual_digits", node.individualDigits.map { "\($0)" } ?? "missing")
            }
            return .isolateNumbers
        case let type:
            let described = type == "ByteLevel" ? "ByteLevel, which must be the last step" : type
            throw refuse("type", described ?? "missing")
        }
    }

    /// A one-line account of a decoding error: where, and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            let path = dottedPath(context.codingPath)
            return (path.isEmpty ? "" : "\(path): ") + "not valid JSON (\(context.debugDescription))"
        case .keyNotFound(let key, let context):
            let path = dottedPath(context.codingPath)
            return (path.isEmpty ? "" : "\(path): ") + "the field \(key.stringValue) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(dottedPath(context.codingPath)): expected \(type) (\(context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}
