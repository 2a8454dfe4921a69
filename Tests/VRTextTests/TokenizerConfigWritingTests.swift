// tokenizer_config.json for transformers, and the added-token ids tokenizerJSON() refuses because `tokenizers` would
// load them as other ids.

import Foundation
import Testing
import VRText

@Suite("BPETokenizer written for transformers")
struct TokenizerConfigWritingTests {
    typealias Source = BPETokenizerFixtureTests.Source

    @Test("tokenizer_config.json names the fast tokenizer, the special tokens and the chat template")
    func configuration() throws {
        let tokenizer = try Source.qwen2GGUF.load()
        let bos = try #require(tokenizer.beginningOfSequenceID)
        let eos = try #require(tokenizer.endOfSequenceID)
        let template = "{% for message in messages %}{{ message['content'] }}{% endfor %}"
        let data = tokenizer.tokenizerConfigJSON(chatTemplate: template)
        let config = try TokenizerWritingTests.object(data)
        #expect(config["tokenizer_class"] as? String == "PreTrainedTokenizerFast")
        #expect(config["bos_token"] as? String == tokenizer.addedTokens.first { $0.id == bos }?.content)
        #expect(config["eos_token"] as? String == tokenizer.addedTokens.first { $0.id == eos }?.content)
        #expect(config["pad_token"] == nil)
        #expect(config["chat_template"] as? String == template)
        #expect(config["add_bos_token"] as? Bool == false)
        #expect(config["add_eos_token"] as? Bool == false)
        #expect(config["clean_up_tokenization_spaces"] as? Bool == false)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"model_max_length\": 1000000000000000019884624838656,"))

        let plain = try TokenizerWritingTests.object(Source.qwen2JSON.load().tokenizerConfigJSON(chatTemplate: nil))
        #expect(
            plain.keys.sorted() == [
                "add_bos_token", "add_eos_token", "clean_up_tokenization_spaces", "model_max_length", "tokenizer_class",
            ])
    }

    @Test("an added token tokenizers would number otherwise is refused")
    func addedTokenIDs() throws {
        // tokenizers numbers added tokens the vocabulary lacks from the vocabulary's size (1500) on, in id order.
        let moved = try TokenizerJSONRefusalTests.changed { object in
            var tokens = object["added_tokens"] as? [[String: Any]] ?? []
            tokens[3]["id"] = 1600
            object["added_tokens"] = tokens
        }
        #expect(
            throws: TextError.unsupportedTokenizer(
                source: "tokenizer.json", field: "added_tokens[3]",
                value: "\"</think>\" with id 1501, which tokenizers would load as id 1500 (it is not in the "
                    + "vocabulary, whose size is 1500)")
        ) { try BPETokenizer(tokenizerJSON: moved).tokenizerJSON() }

        // A vocabulary entry added under another id keeps its vocabulary id in tokenizers.
        let vocabulary = try #require(
            (try TokenizerWritingTests.object(TokenizerFixtures.data("qwen2-style.tokenizer.json"))["model"]
                as? [String: Any])?["vocab"] as? [String: Int])
        let orID = try #require(vocabulary["or"])
        let duplicated = try TokenizerJSONRefusalTests.changed { object in
            var tokens = object["added_tokens"] as? [[String: Any]] ?? []
            tokens.append([
                "id": 1502, "content": "or", "special": false, "normalized": false, "lstrip": false, "rstrip": false,
                "single_word": false,
            ])
            object["added_tokens"] = tokens
        }
        #expect(
            throws: TextError.unsupportedTokenizer(
                source: "tokenizer.json", field: "added_tokens[5]",
                value: "\"or\" with id 1502, which tokenizers would load as id \(orID) (the vocabulary has it)")
        ) { try BPETokenizer(tokenizerJSON: duplicated).tokenizerJSON() }

        // The same token numbered as tokenizers numbers it is written, and read back alike.
        let appended = try TokenizerJSONRefusalTests.changed { object in
            var tokens = object["added_tokens"] as? [[String: Any]] ?? []
            tokens.append([
                "id": 1502, "content": "<tool>", "special": true, "normalized": false, "lstrip": false,
                "rstrip": false, "single_word": false,
            ])
            object["added_tokens"] = tokens
        }
        let tokenizer = try BPETokenizer(tokenizerJSON: appended)
        let copy = try BPETokenizer(tokenizerJSON: tokenizer.tokenizerJSON())
        #expect(copy.encode("a<tool>b") == tokenizer.encode("a<tool>b"))
        #expect(copy.id(ofSpecial: "<tool>") == 1502)
    }
}
