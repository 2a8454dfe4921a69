// BPETokenizer from tokenizer.json: every malformed or unsupported part is refused with an error naming it, and
// decoding refuses ids that are no token's.

import Foundation
import Testing
import VRText

@Suite("BPETokenizer refusals")
struct TokenizerJSONRefusalTests {
    /// A fixture tokenizer.json with `change` applied to its JSON object.
    static func changed(
        _ name: String = "qwen2-style.tokenizer.json", _ change: (inout [String: Any]) -> Void
    ) throws -> Data {
        var object = try #require(
            try JSONSerialization.jsonObject(with: TokenizerFixtures.data(name)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// Replaces `object[key][subkey] = value`.
    static func set(_ object: inout [String: Any], _ key: String, _ subkey: String, _ value: Any) {
        var inner = object[key] as? [String: Any] ?? [:]
        inner[subkey] = value
        object[key] = inner
    }

    static func expectRefusal(_ data: Data, _ expected: TextError) {
        #expect(throws: expected) { try BPETokenizer(tokenizerJSON: data) }
    }

    static func unsupported(_ field: String, _ value: String) -> TextError {
        .unsupportedTokenizer(source: "tokenizer.json", field: field, value: value)
    }

    static func malformed(_ reason: String) -> TextError {
        .malformedTokenizer(source: "tokenizer.json", reason: reason)
    }

    @Test("models other than BPE are refused by name, before their vocabulary is read")
    func otherModels() throws {
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "type", "WordPiece") },
            Self.unsupported("model.type", "WordPiece"))
        let unigram = try Self.changed { $0["model"] = ["type": "Unigram", "vocab": [["a", -1.5]]] }
        Self.expectRefusal(unigram, Self.unsupported("model.type", "Unigram"))
    }

    @Test("BPE options that change the ids are refused")
    func modelOptions() throws {
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "byte_fallback", true) },
            Self.unsupported("model.byte_fallback", "true"))
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "dropout", 0.1) }, Self.unsupported("model.dropout", "0.1"))
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "continuing_subword_prefix", "##") },
            Self.unsupported("model.continuing_subword_prefix", "\"##\""))
        Self.expectRefusal(
            try Self.changed { $0["truncation"] = ["max_length": 8] }, Self.unsupported("truncation", "set"))
        Self.expectRefusal(try Self.changed { $0["padding"] = ["pad_id": 0] }, Self.unsupported("padding", "set"))
    }

    @Test("merges that are malformed or name tokens outside the vocabulary are refused")
    func badMerges() throws {
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "merges", [["Ġ", "qqq"]]) },
            Self.malformed("merge 1 (\"Ġ\" \"qqq\") needs \"qqq\", which is not in the vocabulary"))
        Self.expectRefusal(
            try Self.changed("llama3-style.tokenizer.json") { Self.set(&$0, "model", "merges", ["a b", "a b c"]) },
            Self.malformed(
                "model.merges[1]: the merge [\"a\", \"b\", \"c\"] is not two non-empty tokens (\"a b\" or [\"a\", \"b\"])"
            ))
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "merges", [42]) },
            Self.malformed("model.merges[0]: a merge is neither \"a b\" nor [\"a\", \"b\"]"))
    }

    @Test("vocabularies and added tokens that contradict themselves are refused")
    func badVocabulary() throws {
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "vocab", ["a": 5, "b": 5]) },
            Self.malformed("vocabulary tokens \"a\" and \"b\" both have id 5"))
        let twice = try Self.changed { object in
            var added = object["added_tokens"] as? [[String: Any]] ?? []
            added.append(["id": 1400, "content": "<|im_end|>", "special": true])
            object["added_tokens"] = added
        }
        Self.expectRefusal(twice, Self.malformed("added token \"<|im_end|>\" appears twice"))
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "unk_token", "<unk>") },
            Self.malformed("the unknown token \"<unk>\" is not in the vocabulary"))
        Self.expectRefusal(
            try Self.changed { Self.set(&$0, "model", "vocab", "none") },
            Self.malformed(
                "model.vocab: expected Dictionary<String, Any> (Expected to decode Dictionary<String, Any> but found a string instead.)"
            ))
    }

    @Test("pre-tokenizers other than the supported byte-level ones are refused, naming the field")
    func preTokenizers() throws {
        let split = "pre_tokenizer.pretokenizers[0]"
        func changeSplit(_ key: String, _ value: Any) throws -> Data {
            try Self.changed { object in
                var pre = object["pre_tokenizer"] as? [String: Any] ?? [:]
                var steps = pre["pretokenizers"] as? [[String: Any]] ?? []
                steps[0][key] = value
                pre["pretokenizers"] = steps
                object["pre_tokenizer"] = pre
            }
        }
        Self.expectRefusal(
            try changeSplit("pattern", ["Regex": "\\s+"]), Self.unsupported("\(split).pattern.Regex", "\"\\s+\""))
        Self.expectRefusal(
            try changeSplit("pattern", ["String": " "]), Self.unsupported("\(split).pattern", "the String \" \""))
        Self.expectRefusal(try changeSplit("behavior", "Removed"), Self.unsupported("\(split).behavior", "Removed"))
        Self.expectRefusal(try changeSplit("invert", true), Self.unsupported("\(split).invert", "true"))
        Self.expectRefusal(try changeSplit("type", "Whitespace"), Self.unsupported("\(split).type", "Whitespace"))
        Self.expectRefusal(
            try Self.changed("gpt2-style.tokenizer.json") { Self.set(&$0, "pre_tokenizer", "add_prefix_space", true) },
            Self.unsupported("pre_tokenizer.add_prefix_space", "true"))
        Self.expectRefusal(
            try Self.changed { $0["pre_tokenizer"] = ["type": "Whitespace"] },
            Self.unsupported("pre_tokenizer", "a pre-tokenizer that does not end with ByteLevel"))
        Self.expectRefusal(
            try Self.changed { $0["pre_tokenizer"] = NSNull() }, Self.unsupported("pre_tokenizer", "null"))
    }

    @Test("normalizers other than NFC and decoders other than ByteLevel are refused")
    func normalizersAndDecoders() throws {
        Self.expectRefusal(
            try Self.changed { $0["normalizer"] = ["type": "NFD"] }, Self.unsupported("normalizer.type", "NFD"))
        Self.expectRefusal(try Self.changed { $0["decoder"] = NSNull() }, Self.unsupported("decoder", "null"))
        Self.expectRefusal(
            try Self.changed { $0["decoder"] = ["type": "WordPiece"] }, Self.unsupported("decoder.type", "WordPiece"))
    }

    @Test("text that is not a tokenizer.json, and a missing file, are refused")
    func notTokenizerJSON() throws {
        #expect {
            try BPETokenizer(tokenizerJSON: Data("{\"model\": ".utf8))
        } throws: { error in
            guard case .malformedTokenizer(_, let reason) = error as? TextError else { return false }
            return reason.contains("not valid JSON")
        }
        Self.expectRefusal(Data("{\"decoder\": null}".utf8), Self.malformed("the field model is missing"))
        let missing = "/nonexistent/tokenizer.json"
        #expect {
            try BPETokenizer(tokenizerJSONPath: missing)
        } throws: { error in
            guard case .malformedTokenizer(let source, let reason) = error as? TextError else { return false }
            return source == missing && reason.hasPrefix("cannot read it")
        }
    }

    @Test("decoding refuses ids outside the vocabulary and ids no token has")
    func decodeRefusals() throws {
        let tokenizer = try BPETokenizer(tokenizerJSONPath: TokenizerFixtures.path("qwen2-style.tokenizer.json"))
        let size = tokenizer.vocabularySize
        #expect(throws: TextError.idOutOfRange(id: Int32(size), position: 1, vocabularySize: size)) {
            try tokenizer.decode([5, Int32(size)])
        }
        #expect(throws: TextError.idOutOfRange(id: -1, position: 0, vocabularySize: size)) {
            try tokenizer.decode([-1])
        }
        // Without its entry "zzz" (2001), the llama3-style vocabulary has a hole there.
        let holed = try Self.changed("llama3-style.tokenizer.json") { object in
            var model = object["model"] as? [String: Any] ?? [:]
            var vocab = model["vocab"] as? [String: Any] ?? [:]
            vocab["zzz"] = nil
            model["vocab"] = vocab
            object["model"] = model
        }
        let withHole = try BPETokenizer(tokenizerJSON: holed)
        #expect(withHole.vocabularySize == 2004)
        #expect(throws: TextError.unassignedID(id: 2001, position: 0)) { try withHole.decode([2001, 5]) }
        let error = TextError.unassignedID(id: 2001, position: 0)
        #expect(error.description == "token id 2001 at position 0 belongs to no token of the vocabulary")
        #expect(
            TextError.unsupportedTokenizer(source: "t.json", field: "model.type", value: "Unigram").description
                == "t.json: model.type is Unigram, which this tokenizer does not support")
    }
}
