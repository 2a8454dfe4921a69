// ChatTemplate against transformers' apply_chat_template(add_generation_prompt=True, tokenize=False):
// Fixtures/chat-templates.json, written by scripts/fixtures/make_tokenizer_fixtures.py.

import Foundation
import Testing
import VRText

/// One template of chat-templates.json and its renderings.
struct ChatTemplateFixture: Decodable {
    struct Conversation: Decodable {
        let system: String?
        let user: String
        let rendered: String
    }
    let name: String
    let template: String
    let conversations: [Conversation]

    static func load() throws -> [ChatTemplateFixture] {
        struct File: Decodable { let templates: [ChatTemplateFixture] }
        return try JSONDecoder().decode(File.self, from: TokenizerFixtures.data("chat-templates.json")).templates
    }
}

@Suite("ChatTemplate")
struct ChatTemplateTests {
    @Test("renders every conversation as transformers renders the template")
    func rendersAsTransformers() throws {
        let fixtures = try ChatTemplateFixture.load()
        #expect(fixtures.map(\.name) == ["smollm2", "chatml", "default-system"])
        for fixture in fixtures {
            let template = try #require(ChatTemplate(chatTemplate: fixture.template), "\(fixture.name)")
            #expect(fixture.conversations.count == 4)
            for conversation in fixture.conversations {
                #expect(
                    template.render(system: conversation.system, user: conversation.user) == conversation.rendered,
                    "\(fixture.name): \(conversation.user.debugDescription)")
            }
        }
    }

    @Test("reads the default system message from the template, or none")
    func defaultSystemPrompt() throws {
        let templates = try Dictionary(uniqueKeysWithValues: ChatTemplateFixture.load().map { ($0.name, $0.template) })
        func template(_ name: String) throws -> ChatTemplate {
            let source = try #require(templates[name])
            return try #require(ChatTemplate(chatTemplate: source))
        }
        #expect(
            try template("smollm2").defaultSystemPrompt
                == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        #expect(try template("chatml").defaultSystemPrompt == nil)
        #expect(try template("default-system").defaultSystemPrompt == "You are a careful assistant. Answer briefly.")
        // A quote escaped inside the literal belongs to the message.
        let quoted = #"{{ '<|im_start|>system\nIt\'s "fine"<|im_end|>\n' }}"#
        #expect(ChatTemplate(chatTemplate: quoted)?.defaultSystemPrompt == #"It's "fine""#)
    }

    @Test("the open assistant turn ends the prompt and <|im_end|> stops it")
    func layout() {
        let template = ChatTemplate()
        #expect(
            template.render(system: "S", user: "U")
                == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.render(system: nil, user: "U") == "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.stopText == "<|im_end|>")
        let withDefault = ChatTemplate(defaultSystemPrompt: "D")
        #expect(withDefault.render(system: nil, user: "U").hasPrefix("<|im_start|>system\nD<|im_end|>\n"))
        #expect(withDefault.render(system: "", user: "U").hasPrefix("<|im_start|>system\n<|im_end|>\n"))
    }

    @Test("is detected from ChatML special tokens, and not for other tokenizers or templates")
    func detection() throws {
        let qwen2 = try BPETokenizer(tokenizerJSONPath: TokenizerFixtures.path("qwen2-style.tokenizer.json"))
        #expect(ChatTemplate(tokenizer: qwen2) == ChatTemplate())
        #expect(ChatTemplate.detect(tokenizer: qwen2, chatTemplate: nil) == ChatTemplate())
        #expect(ChatTemplate(tokenizer: ByteTokenizer()) == nil)
        let llama3Template = "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"
        #expect(ChatTemplate(chatTemplate: llama3Template) == nil)
        #expect(ChatTemplate.detect(tokenizer: qwen2, chatTemplate: llama3Template) == nil)
    }
}
