// BPETokenizer from GGUF metadata: a small valid tokenizer, and each malformed or unsupported key refused by name.

import Foundation
import Testing
import VRGGUF
import VRText

@Suite("BPETokenizer from GGUF metadata")
struct GGUFTokenizerRefusalTests {
    static func load(_ file: GGUFTestFile) throws -> BPETokenizer {
        try BPETokenizer(gguf: file.opened())
    }

    static func expectRefusal(_ file: GGUFTestFile, _ expected: TextError) {
        #expect(throws: expected) { try BPETokenizer(gguf: file.opened()) }
    }

    @Test("a small valid tokenizer merges, matches its control token and decodes")
    func tiny() throws {
        let tokenizer = try Self.load(.tiny())
        #expect(tokenizer.vocabularySize == 260)
        #expect(tokenizer.encode(" the") == [258])
        #expect(tokenizer.encode("the the<|im_end|>") == [116, 257, 258, 259])
        #expect(try tokenizer.decode([116, 257, 258, 259]) == "the the<|im_end|>")
        #expect(tokenizer.id(ofSpecial: "<|im_end|>") == 259)
        #expect(tokenizer.endOfSequenceID == 259)
        #expect(tokenizer.beginningOfSequenceID == nil)
        #expect(tokenizer.chatTemplate == nil)
    }

    @Test("an unknown pre-tokenizer name is refused, naming it and the supported names")
    func unknownPre() {
        var file = GGUFTestFile.tiny()
        file["tokenizer.ggml.pre"] = .string("mystery-bpe")
        Self.expectRefusal(
            file,
            .unsupportedTokenizer(
                source: "test.gguf", field: "tokenizer.ggml.pre",
                value: "\"mystery-bpe\" (supported: gpt-2, llama-bpe, llama-v3, llama3, qwen2, smollm)"))
    }

    @Test("a tokenizer model other than gpt2 is refused by name")
    func otherModel() {
        var file = GGUFTestFile.tiny()
        file["tokenizer.ggml.model"] = .string("llama")
        Self.expectRefusal(
            file, .unsupportedTokenizer(source: "test.gguf", field: "tokenizer.ggml.model", value: "\"llama\""))
    }

    @Test("missing or mistyped keys are refused, naming the key")
    func missingKeys() {
        for key in ["tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.merges"] {
            var file = GGUFTestFile.tiny()
            file[key] = nil
            Self.expectRefusal(file, .malformedTokenizer(source: "test.gguf", reason: "the metadata has no \(key)"))
        }
        var file = GGUFTestFile.tiny()
        file["tokenizer.ggml.tokens"] = .string("not a list")
        Self.expectRefusal(
            file, .malformedTokenizer(source: "test.gguf", reason: "tokenizer.ggml.tokens is not an array"))
    }

    @Test("merges that are not two tokens, or name tokens outside the vocabulary, are refused")
    func badMerges() {
        var file = GGUFTestFile.tiny()
        file["tokenizer.ggml.merges"] = .strings(["Ġ t", "h e x"])
        Self.expectRefusal(
            file,
            .malformedTokenizer(
                source: "test.gguf", reason: "tokenizer.ggml.merges[1] is \"h e x\", not two tokens and one space"))
        file["tokenizer.ggml.merges"] = .strings(["Ġ t", "Ġt zz"])
        Self.expectRefusal(
            file,
            .malformedTokenizer(
                source: "test.gguf", reason: "merge 2 (\"Ġt\" \"zz\") needs \"zz\", which is not in the vocabulary"))
        file["tokenizer.ggml.merges"] = .strings(["t h"])
        Self.expectRefusal(
            file,
            .malformedTokenizer(
                source: "test.gguf", reason: "merge 1 (\"t\" \"h\") needs \"th\", which is not in the vocabulary"))
    }

    @Test("token types must be one per token and of a supported kind")
    func tokenTypes() {
        var file = GGUFTestFile.tiny()
        file["tokenizer.ggml.token_type"] = .int32s([1, 1, 1])
        Self.expectRefusal(
            file,
            .malformedTokenizer(
                source: "test.gguf",
                reason: "tokenizer.ggml.token_type does not hold one integer for each of 260 tokens"))
        file["tokenizer.ggml.token_type"] = .int32s([Int32](repeating: 1, count: 259) + [6])
        Self.expectRefusal(
            file,
            .unsupportedTokenizer(
                source: "test.gguf", field: "tokenizer.ggml.token_type[259]",
                value: "6 (supported: 1 normal, 3 control, 4 user-defined, 5 unused)"))
    }

    @Test("repeated tokens and token ids outside the vocabulary are refused")
    func badTokens() throws {
        var file = GGUFTestFile.tiny()
        guard case .strings(var tokens) = file["tokenizer.ggml.tokens"] else {
            Issue.record("the tiny tokenizer has no token list")
            return
        }
        tokens[258] = "he"
        file["tokenizer.ggml.tokens"] = .strings(tokens)
        Self.expectRefusal(
            file,
            .malformedTokenizer(source: "test.gguf", reason: "tokenizer.ggml.tokens[257] and [258] are both \"he\""))
        file = .tiny()
        file["tokenizer.ggml.bos_token_id"] = .uint32(999)
        Self.expectRefusal(
            file,
            .malformedTokenizer(
                source: "test.gguf", reason: "tokenizer.ggml.bos_token_id is unsigned(999), not a token id below 260"))
    }

    @Test("a file that is not GGUF is refused with the reader's reason")
    func notGGUF() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vr-not-a-gguf-\(UUID()).gguf").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try BPETokenizer(ggufPath: path)
        } throws: { error in
            guard case .malformedTokenizer(let source, let reason) = error as? TextError else { return false }
            return source == path && reason.contains("GGUF")
        }
    }
}
