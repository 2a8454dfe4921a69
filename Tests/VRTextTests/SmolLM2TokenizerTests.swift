// SmolLM2-135M-Instruct's tokenizer, read from its GGUF file, against the tokenizer `tokenizers` builds from the same
// vocabulary and merges with SmolLM2's pre-tokenizer (Fixtures/smollm2.expected.json and chat-templates.json, written
// by scripts/fixtures/make_tokenizer_fixtures.py). The model is fetched by scripts/fetch-smollm2.sh; `make test`
// sets VR_SMOLLM2 to its path.

import Foundation
import Testing
import VRText

@Suite(
    "SmolLM2 tokenizer from its GGUF file",
    .enabled(
        if: ProcessInfo.processInfo.environment["VR_SMOLLM2"] != nil,
        "VR_SMOLLM2 is not set: run `make test`, or set it to the path scripts/fetch-smollm2.sh prints"))
struct SmolLM2TokenizerTests {
    static func tokenizer() throws -> BPETokenizer {
        let path = try #require(ProcessInfo.processInfo.environment["VR_SMOLLM2"])
        return try BPETokenizer(ggufPath: path)
    }

    @Test("ids and decodes equal tokenizers' for every corpus and random case")
    func matchesTokenizers() throws {
        try TokenizerFixtures.check(Self.tokenizer(), against: TokenizerFixtures.expected("smollm2"))
    }

    @Test("digits are split one by one, also after whitespace (the smollm pre-tokenizer)")
    func digits() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.encode("Hello world! 123") == [19556, 905, 17, 216, 33, 34, 35])
        // Digits first leaves "x  " whole, so the two spaces merge; GPT-2's pattern alone would give Ġ, Ġ1.
        let ids = tokenizer.encode("x  1")
        #expect(ids.count == 3)
        #expect(try tokenizer.decode(ids) == "x  1")
    }

    @Test("special tokens, bos, eos and padding ids come from the metadata")
    func specialTokens() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.id(ofSpecial: "<|endoftext|>") == 0)
        #expect(tokenizer.id(ofSpecial: "<|im_start|>") == 1)
        #expect(tokenizer.id(ofSpecial: "<|im_end|>") == 2)
        #expect(tokenizer.id(ofSpecial: "Hello") == nil)
        #expect(tokenizer.addedTokens.count == 17)
        #expect(tokenizer.addedTokens.allSatisfy { $0.special })
        #expect(tokenizer.beginningOfSequenceID == 1)
        #expect(tokenizer.endOfSequenceID == 2)
        #expect(tokenizer.paddingID == 2)
    }

    @Test("the GGUF's chat template is ChatML with SmolLM's default system message, rendered as transformers does")
    func chatTemplate() throws {
        let tokenizer = try Self.tokenizer()
        let source = try #require(tokenizer.chatTemplate)
        let fixture = try ChatTemplateFixture.load().first { $0.name == "smollm2" }
        #expect(source == fixture?.template)
        let template = try #require(ChatTemplate.detect(tokenizer: tokenizer, chatTemplate: tokenizer.chatTemplate))
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        for conversation in fixture?.conversations ?? [] {
            #expect(template.render(system: conversation.system, user: conversation.user) == conversation.rendered)
        }
        let prompt = template.render(system: nil, user: "What is 2+2?")
        #expect(tokenizer.encode(prompt).first == tokenizer.id(ofSpecial: ChatTemplate.turnStart))
        #expect(tokenizer.id(ofSpecial: template.stopText) == 2)
    }
}
