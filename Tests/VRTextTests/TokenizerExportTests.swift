// SmolLM2's tokenizer written as tokenizer.json and read back (with VR_SMOLLM2), and the directories that
// scripts/fixtures/check_tokenizer_export.py loads with `tokenizers` and transformers (with VR_EXPORT_TOKENIZER):
//
//   rm -rf /tmp/tokenizer-export && VR_SMOLLM2="$(bash scripts/fetch-smollm2.sh)" \
//       VR_EXPORT_TOKENIZER=/tmp/tokenizer-export swift test --filter TokenizerExportTests
//
// Each directory NAME holds tokenizer.json, tokenizer_config.json (with the GGUF's chat template, if any) and
// vr-encodings.json: the texts, their ids and decodes here, and the chat prompts rendered here with their ids.

import Foundation
import Testing
import VRText

@Suite("BPETokenizer exported for transformers")
struct TokenizerExportTests {
    static let environment = ProcessInfo.processInfo.environment

    /// What the check script compares with: one tokenizer's encodings here.
    struct Encodings: Encodable {
        struct Chat: Encodable {
            let system: String?
            let user: String
            let rendered: String
            let ids: [Int32]
        }
        let vocabularySize: Int
        let texts: [String]
        let ids: [[Int32]]
        let decoded: [String]
        let chatTemplate: String?
        let chat: [Chat]

        enum CodingKeys: String, CodingKey {
            case texts, ids, decoded, chat
            case vocabularySize = "vocabulary_size"
            case chatTemplate = "chat_template"
        }
    }

    /// The tokenizers to export, by directory name, with their expected file.
    static func tokenizers() throws -> [(name: String, tokenizer: BPETokenizer, expected: String)] {
        var tokenizers = try BPETokenizerFixtureTests.Source.allCases.map { source in
            (
                source.rawValue.replacing(".tokenizer.json", with: "-json").replacing(".gguf", with: "-gguf"),
                try source.load(), source.name
            )
        }
        if let path = environment["VR_SMOLLM2"] {
            tokenizers.append(("smollm2-gguf", try BPETokenizer(ggufPath: path), "smollm2"))
        }
        return tokenizers
    }

    @Test(
        "SmolLM2's tokenizer written and read back encodes and decodes as before",
        .enabled(if: environment["VR_SMOLLM2"] != nil, "VR_SMOLLM2 is not set"))
    func smolLM2RoundTrip() throws {
        let tokenizer = try BPETokenizer(ggufPath: try #require(Self.environment["VR_SMOLLM2"]))
        try TokenizerWritingTests.checkRoundTrip(tokenizer, expected: TokenizerFixtures.expected("smollm2"))
        let config = try TokenizerWritingTests.object(
            tokenizer.tokenizerConfigJSON(chatTemplate: tokenizer.chatTemplate))
        #expect(config["bos_token"] as? String == "<|im_start|>")
        #expect(config["eos_token"] as? String == "<|im_end|>")
        #expect(config["pad_token"] as? String == "<|im_end|>")
        #expect(config["chat_template"] as? String == tokenizer.chatTemplate)
    }

    @Test(
        "writes each tokenizer with its encodings for check_tokenizer_export.py",
        .enabled(if: environment["VR_EXPORT_TOKENIZER"] != nil, "VR_EXPORT_TOKENIZER is not set"))
    func export() throws {
        let root = URL(fileURLWithPath: try #require(Self.environment["VR_EXPORT_TOKENIZER"]))
        let conversations = try #require(try ChatTemplateFixture.load().first { $0.name == "smollm2" }).conversations
        let corpus = try TokenizerFixtures.corpus()
        for (name, tokenizer, expected) in try Self.tokenizers() {
            let directory = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try tokenizer.tokenizerJSON().write(to: directory.appendingPathComponent("tokenizer.json"))
            try tokenizer.tokenizerConfigJSON(chatTemplate: tokenizer.chatTemplate)
                .write(to: directory.appendingPathComponent("tokenizer_config.json"))
            let texts =
                corpus + (try TokenizerFixtures.expected(expected).encodings.map(\.text).dropFirst(corpus.count))
            let ids = texts.map(tokenizer.encode)
            var chat: [Encodings.Chat] = []
            if let source = tokenizer.chatTemplate, let template = ChatTemplate(chatTemplate: source) {
                chat = conversations.map { conversation in
                    let rendered = template.render(system: conversation.system, user: conversation.user)
                    return .init(
                        system: conversation.system, user: conversation.user, rendered: rendered,
                        ids: tokenizer.encode(rendered))
                }
            }
            let encodings = Encodings(
                vocabularySize: tokenizer.vocabularySize, texts: texts, ids: ids,
                decoded: try ids.map { ids throws in try tokenizer.decode(ids) }, chatTemplate: tokenizer.chatTemplate,
                chat: chat)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(encodings).write(to: directory.appendingPathComponent("vr-encodings.json"))
        }
    }
}
