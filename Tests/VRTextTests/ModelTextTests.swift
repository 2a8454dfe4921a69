import Foundation
import Testing

@testable import VRText

/// Finding a model's tokenizer, chat format and reply ends from the files beside its weights.
@Suite("a model's text")
struct ModelTextTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    @Test("a Hugging Face directory: tokenizer.json, the chat template and eos_token of tokenizer_config.json")
    func huggingFaceDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            atPath: try Self.fixture("qwen2-style.tokenizer.json"), toPath: directory.path + "/tokenizer.json")
        let settings =
            #"{"eos_token": {"content": "<|endoftext|>"}, "chat_template": "{{'<|im_start|>' + m + '<|im_end|>'}}"}"#
        try Data(settings.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let text = try ModelText.load(forModelAt: directory.path)
        let tokenizer = text.tokenizer
        let endOfText = try #require(tokenizer.id(ofSpecial: "<|endoftext|>"))
        let turnEnd = try #require(tokenizer.id(ofSpecial: "<|im_end|>"))
        #expect(text.chatTemplate != nil)
        #expect(text.endOfGeneration == [[endOfText], [turnEnd]])
        #expect(
            tokenizer.encode("hello world")
                == (try BPETokenizer(tokenizerJSONPath: directory.path + "/tokenizer.json")).encode("hello world"))
    }

    @Test("the paper's markers keep the same ids after any text; the byte tokenizer is unchanged")
    func markers() throws {
        let tokenizer = try BPETokenizer(tokenizerJSONPath: try Self.fixture("qwen2-style.tokenizer.json"))
        let text = ModelText(tokenizer: tokenizer, chatTemplate: nil, endOfGeneration: [])
        let marker = tokenizer.encode(SpecialToken.endOfThought.text)
        for trace in ["so the sum is 12.", "x = 3 ", "done", "日本語"] {
            let ids = text.encode(trace + SpecialToken.endOfThought.text + "Answer: 4")
            #expect(ids == tokenizer.encode(trace) + marker + tokenizer.encode("Answer: 4"))
            #expect(try tokenizer.decode(ids) == trace + SpecialToken.endOfThought.text + "Answer: 4")
        }
        #expect(text.plainText(of: text.encode("Answer: 4<|end_of_solution|>")) == "Answer: 4")
        let bytes = ModelText.bytes
        let sample = "q<|begin_of_thought|>t<|end_of_thought|>"
        #expect(bytes.encode(sample) == ByteTokenizer().encode(sample))
    }

    @Test("a directory without tokenizer.json is a built-in byte-level model")
    func builtIn() throws {
        let text = try ModelText.load(forModelAt: FileManager.default.temporaryDirectory.path)
        #expect(text.tokenizer is ByteTokenizer && text.chatTemplate == nil)
        #expect(text.endOfGeneration == [[SpecialToken.endOfText.id]])
    }

    @Test("a malformed tokenizer_config.json is refused naming it")
    func malformedSettings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            atPath: try Self.fixture("qwen2-style.tokenizer.json"), toPath: directory.path + "/tokenizer.json")
        try Data("[1, 2".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        #expect(
            throws: TextError.malformedTokenizer(
                source: directory.path + "/tokenizer_config.json", reason: "not a JSON object")
        ) {
            try ModelText.load(forModelAt: directory.path)
        }
    }

    @Test(
        "SmolLM2's GGUF: ChatML with SmolLM's default system message; <|im_end|> ends a reply",
        .enabled(if: ProcessInfo.processInfo.environment["VR_SMOLLM2"] != nil, "VR_SMOLLM2 names no GGUF file"))
    func smolLM2() throws {
        let path = try #require(ProcessInfo.processInfo.environment["VR_SMOLLM2"])
        let text = try ModelText.load(forModelAt: path)
        let template = try #require(text.chatTemplate)
        #expect(template.defaultSystemPrompt?.contains("SmolLM") == true)
        #expect(text.endOfGeneration == [[2]])
        #expect(
            text.tokenizer.decodeLossy(text.tokenizer.encode(template.render(system: nil, user: "Hi"))).hasPrefix(
                "<|im_start|>system"))
    }
}
