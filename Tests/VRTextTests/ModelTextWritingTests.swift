import Foundation
import Testing

@testable import VRText

/// A model's text written beside a checkpoint reads back as it was.
@Suite("writing a model's text")
struct ModelTextWritingTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vr-text-writing-\(UUID().uuidString)")
    }

    @Test("a GGUF model's tokenizer and chat template, written and read back, encode and end replies as before")
    func roundTrip() throws {
        let gguf = try ModelTextTests.fixture("qwen2-style.gguf")
        let source = try ModelText.load(forModelAt: gguf)
        let chatTemplate = "{{'<|im_start|>system\\nBe brief.<|im_end|>\\n'}}{{'<|im_start|>' + m + '<|im_end|>'}}"
        let text = ModelText(
            tokenizer: source.tokenizer, chatTemplate: ChatTemplate(chatTemplate: chatTemplate),
            endOfGeneration: source.endOfGeneration, chatTemplateSource: chatTemplate)
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.writeFiles(toDirectory: directory.path + "/model")
        let loaded = try ModelText.load(forModelAt: directory.path + "/model")
        for sample in ["Hello world!", "x = 3.14; 日本語 \n\n  done<|endoftext|>", "<|begin_of_thought|>2+2"] {
            #expect(loaded.encode(sample) == text.encode(sample), "\(sample)")
        }
        #expect(loaded.chatTemplateSource == chatTemplate)
        #expect(loaded.chatTemplate?.defaultSystemPrompt == "Be brief.")
        #expect(loaded.endOfGeneration.first == text.endOfGeneration.first)
    }

    @Test("the byte tokenizer writes no files")
    func bytes() throws {
        let directory = Self.temporaryDirectory()
        try ModelText.bytes.writeFiles(toDirectory: directory.path)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test("a directory that cannot be made is named in the error")
    func unwritable() throws {
        let gguf = try ModelTextTests.fixture("qwen2-style.gguf")
        let text = try ModelText.load(forModelAt: gguf)
        #expect {
            try text.writeFiles(toDirectory: gguf + "/inside-a-file")
        } throws: { error in
            guard case TextError.unwritable(let path, _) = error else { return false }
            return path == gguf + "/inside-a-file"
        }
    }
}
