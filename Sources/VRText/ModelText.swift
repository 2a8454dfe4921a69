// The tokenizer of a model on disk and how its chat turns are written: from a GGUF file's metadata, a Hugging Face
// directory's tokenizer.json and tokenizer_config.json, or the byte tokenizer of the built-in family.

import Foundation

/// How a model reads and writes text: its tokenizer, its chat format and the tokens that end a reply.
public struct ModelText: Sendable {
    /// The tokenizer.
    public let tokenizer: any Tokenizer
    /// The chat format of an instruction-tuned model (ChatML), or nil.
    public let chatTemplate: ChatTemplate?
    /// Token sequences that end a generated reply: the end-of-sequence token and, for chat models, the end of the
    /// assistant's turn.
    public let endOfGeneration: [[Int32]]
    /// The Jinja chat template the model came with, kept to be written beside checkpoints trained from it.
    public let chatTemplateSource: String?

    /// The built-in family's: bytes, no chat format, `<|endoftext|>` ends a reply.
    public static let bytes = ModelText(
        tokenizer: ByteTokenizer(), chatTemplate: nil, endOfGeneration: [[SpecialToken.endOfText.id]])

    /// Creates the text of a model.
    /// - Parameters:
    ///   - tokenizer: the tokenizer.
    ///   - chatTemplate: the chat format, if any.
    ///   - endOfGeneration: token sequences that end a reply.
    ///   - chatTemplateSource: the model's Jinja chat template, if it has one.
    public init(
        tokenizer: any Tokenizer, chatTemplate: ChatTemplate?, endOfGeneration: [[Int32]],
        chatTemplateSource: String? = nil
    ) {
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.endOfGeneration = endOfGeneration
        self.chatTemplateSource = chatTemplateSource
    }

    /// The paper's markers (`<|begin_of_thought|>` ...), which a byte-level BPE model reads as plain text.
    public static let markers: [String] = [
        SpecialToken.beginOfThought, .endOfThought, .beginOfSolution, .endOfSolution, .beginOfExplanation,
        .endOfExplanation,
    ].map(\.text)

    /// The ids of `text`, with every one of the paper's markers encoded on its own.
    ///
    /// A BPE tokenizer would merge a marker's first characters with the text before it (`.<|` is one piece), so
    /// the same marker would have different ids after different traces, and a stop sequence could not find it.
    /// Encoding the text between markers and each marker separately gives every marker the same ids everywhere,
    /// in training sequences and in generated ones alike. The byte tokenizer has a token per marker already.
    /// - Parameter text: any string.
    /// - Returns: the ids.
    public func encode(_ text: String) -> [Int32] {
        guard !(tokenizer is ByteTokenizer) else { return tokenizer.encode(text) }
        var ids: [Int32] = []
        var rest = Substring(text)
        while let (marker, range) = Self.firstMarker(in: rest) {
            ids += tokenizer.encode(String(rest[..<range.lowerBound]))
            ids += tokenizer.encode(marker)
            rest = rest[range.upperBound...]
        }
        return ids + tokenizer.encode(String(rest))
    }

    /// The text of `ids` without special tokens, the paper's markers or the texts that end a reply: what a verifier
    /// reads.
    /// - Parameter ids: generated ids.
    /// - Returns: the plain text.
    public func plainText(of ids: [Int32]) -> String {
        if let bytes = tokenizer as? ByteTokenizer { return bytes.decodeLossy(ids.filter { !bytes.isSpecial($0) }) }
        let hidden = Self.markers + endOfGeneration.map { tokenizer.decodeLossy($0) }
        return hidden.reduce(tokenizer.decodeLossy(ids)) { $0.replacingOccurrences(of: $1, with: "") }
    }

    /// The earliest marker in `text` and where it is.
    private static func firstMarker(in text: Substring) -> (String, Range<Substring.Index>)? {
        markers.compactMap { marker in text.range(of: marker).map { (marker, $0) } }
            .min { $0.1.lowerBound < $1.1.lowerBound }
    }

    /// The text of the model at `path`: a `.gguf` file, a Hugging Face directory (`tokenizer.json`), or any other
    /// checkpoint, which is taken to be of the built-in byte-level family.
    /// - Parameter path: where the model is.
    /// - Returns: its tokenizer, chat format and reply ends.
    /// - Throws: `TextError` naming the file when the tokenizer is malformed or unsupported.
    public static func load(forModelAt path: String) throws(TextError) -> ModelText {
        if path.hasSuffix(".gguf") {
            let tokenizer = try BPETokenizer(ggufPath: path)
            return make(tokenizer, chatTemplate: tokenizer.chatTemplate, endOfSequence: tokenizer.endOfSequenceID)
        }
        let tokenizerPath = path + "/tokenizer.json"
        guard FileManager.default.fileExists(atPath: tokenizerPath) else {
            if isHuggingFaceModel(path) {
                throw .malformedTokenizer(source: path, reason: "a Hugging Face model directory without tokenizer.json")
            }
            return .bytes
        }
        let tokenizer = try BPETokenizer(tokenizerJSONPath: tokenizerPath)
        let settings = try TokenizerSettings(path: path + "/tokenizer_config.json")
        return make(
            tokenizer, chatTemplate: settings.chatTemplate,
            endOfSequence: settings.endOfSequenceText.flatMap(tokenizer.id(ofSpecial:)))
    }

    /// Whether `directory`'s config.json names a Hugging Face `model_type` (a pretrained model, not the built-in
    /// family).
    private static func isHuggingFaceModel(_ directory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: directory + "/config.json"),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return false }
        return object["model_type"] != nil
    }

    private static func make(
        _ tokenizer: BPETokenizer, chatTemplate source: String?, endOfSequence: Int32?
    ) -> ModelText {
        let chatTemplate = ChatTemplate.detect(tokenizer: tokenizer, chatTemplate: source)
        var ends = endOfSequence.map { [[$0]] } ?? []
        if let chatTemplate, let turnEnd = tokenizer.id(ofSpecial: chatTemplate.stopText), !ends.contains([turnEnd]) {
            ends.append([turnEnd])
        }
        return ModelText(
            tokenizer: tokenizer, chatTemplate: chatTemplate, endOfGeneration: ends, chatTemplateSource: source)
    }
}

/// The fields of a Hugging Face `tokenizer_config.json` that matter here.
private struct TokenizerSettings {
    /// The Jinja chat template, if any.
    var chatTemplate: String?
    /// The text of the end-of-sequence token, if named.
    var endOfSequenceText: String?

    /// Reads `path`; a missing file has no settings.
    init(path: String) throws(TextError) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedTokenizer(source: path, reason: "not a JSON object")
        }
        chatTemplate = object["chat_template"] as? String
        switch object["eos_token"] {
        case let text as String: endOfSequenceText = text
        case let token as [String: Any]: endOfSequenceText = token["content"] as? String
        default: break
        }
    }
}

extension Tokenizer {
    /// The text of `ids` for display: ids that are no token's become U+FFFD rather than an error.
    /// - Parameter ids: token ids, such as a model's samples.
    /// - Returns: the decoded text.
    public func decodeLossy(_ ids: [Int32]) -> String {
        if let text = try? decode(ids) { return text }
        var text = ""
        var run: [Int32] = []
        for id in ids {
            if (try? decode([id])) != nil {
                run.append(id)
            } else {
                text += (try? decode(run)) ?? ""
                text += "\u{FFFD}"
                run = []
            }
        }
        return text + ((try? decode(run)) ?? "")
    }
}
