// BPETokenizer.tokenizerJSON() and tokenizerConfigJSON(chatTemplate:): every fixture tokenizer written out and read
// back encodes and decodes as before (and as `tokenizers`), the file says what the original tokenizer.json says,
// and added-token ids that `tokenizers` would change are refused.

import Foundation
import Testing
import VRText

@Suite("BPETokenizer written as tokenizer.json")
struct TokenizerWritingTests {
    typealias Source = BPETokenizerFixtureTests.Source

    /// Writes `original`, reads it back and checks the copy against it on the corpus, `expected`'s cases and every
    /// single id; also against `tokenizers` (`expected`), and that writing the copy gives the same bytes.
    static func checkRoundTrip(_ original: BPETokenizer, expected: TokenizerFixtures.Expected) throws {
        let data = try original.tokenizerJSON()
        let copy = try BPETokenizer(tokenizerJSON: data, source: "written tokenizer.json")
        #expect(copy.vocabularySize == original.vocabularySize)
        #expect(copy.addedTokens == original.addedTokens)
        let texts = try TokenizerFixtures.corpus() + expected.encodings.map(\.text)
        var differing = 0
        for text in texts {
            let ids = original.encode(text)
            if copy.encode(text) != ids { differing += 1 }
            #expect(try copy.decode(ids) == original.decode(ids), "decoding \(ids)")
        }
        #expect(differing == 0, "\(differing) of \(texts.count) texts encode differently after writing")
        for id in 0..<Int32(original.vocabularySize) {
            #expect((try? copy.decode([id])) == (try? original.decode([id])), "decoding id \(id)")
        }
        try TokenizerFixtures.check(copy, against: expected)
        #expect(try copy.tokenizerJSON() == data, "writing the copy gives other bytes")
    }

    /// The JSON object of a tokenizer.json.
    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Whether two JSON values are equal: whether they serialize alike with sorted keys.
    static func same(_ left: Any?, _ right: Any?) -> Bool {
        func text(_ value: Any?) -> Data? {
            try? JSONSerialization.data(withJSONObject: [value ?? NSNull()], options: [.sortedKeys])
        }
        return text(left) != nil && text(left) == text(right)
    }

    @Test("written and read back, each fixture encodes and decodes as before", arguments: Source.allCases)
    func roundTrip(source: Source) throws {
        try Self.checkRoundTrip(source.load(), expected: TokenizerFixtures.expected(source.name))
    }

    @Test(
        "the written file says what the original tokenizer.json says",
        arguments: [Source.qwen2JSON, .llama3JSON, .gpt2JSON])
    func sameAsOriginal(source: Source) throws {
        let original = try Self.object(TokenizerFixtures.data(source.rawValue))
        let written = try Self.object(source.load().tokenizerJSON())
        for key in ["version", "added_tokens", "normalizer", "pre_tokenizer", "decoder", "truncation", "padding"] {
            #expect(Self.same(written[key], original[key]), "\(key)")
        }
        let originalModel = try #require(original["model"] as? [String: Any])
        let writtenModel = try #require(written["model"] as? [String: Any])
        for key in ["type", "vocab", "unk_token", "ignore_merges", "fuse_unk", "byte_fallback", "dropout"] {
            #expect(Self.same(writtenModel[key], originalModel[key]), "model.\(key)")
        }
        // Merges are written as pairs whatever the original's form ("a b" in llama3-style).
        let originalMerges = try #require(originalModel["merges"] as? [Any]).map { merge in
            (merge as? [String]) ?? (merge as? String)?.split(separator: " ").map(String.init) ?? []
        }
        #expect(Self.same(writtenModel["merges"], originalMerges))
    }

    @Test("writing is deterministic: vocabulary by id, keys sorted")
    func deterministic() throws {
        let tokenizer = try Source.qwen2GGUF.load()
        let first = try tokenizer.tokenizerJSON()
        #expect(try tokenizer.tokenizerJSON() == first)
        let text = String(decoding: first, as: UTF8.self)
        let vocabulary = try #require(text.range(of: "\"vocab\": {\n"))
        let entries = text[vocabulary.upperBound...].split(separator: "\n").prefix(4)
        #expect(entries.enumerated().map { $1.hasSuffix(": \($0),") } == [true, true, true, true], "\(entries)")
        #expect(text.hasPrefix("{\n  \"added_tokens\": ["))
        #expect(text.hasSuffix("  \"version\": \"1.0\"\n}\n"))
    }

    @Test(
        "pre-tokenizers are written as tokenizers expresses them and read back alike",
        arguments: [
            (  // GPT-2's split before ByteLevel is ByteLevel(use_regex: true).
                #"{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "GPT2"}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}"#,
                #"{"add_prefix_space": false, "trim_offsets": true, "type": "ByteLevel", "use_regex": true}"#
            ),
            (  // No split at all.
                #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}"#,
                #"{"add_prefix_space": false, "trim_offsets": true, "type": "ByteLevel", "use_regex": false}"#
            ),
            (  // SmolLM2's: digits one by one, then ByteLevel's own split.
                #"{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "ByteLevel", "add_prefix_space": false}]}"#,
                #"{"pretokenizers": [{"individual_digits": true, "type": "Digits"}, {"add_prefix_space": false, "trim_offsets": true, "type": "ByteLevel", "use_regex": true}], "type": "Sequence"}"#
            ),
        ])
    func preTokenizerForms(given: String, written: String) throws {
        let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"#
        let givenNode = try JSONSerialization.jsonObject(with: Data(given.replacing("GPT2", with: gpt2Regex).utf8))
        let data = try TokenizerJSONRefusalTests.changed("gpt2-style.tokenizer.json") {
            $0["pre_tokenizer"] = givenNode
        }
        let tokenizer = try BPETokenizer(tokenizerJSON: data)
        let writtenData = try tokenizer.tokenizerJSON()
        let expected = try JSONSerialization.jsonObject(with: Data(written.utf8))
        #expect(Self.same(try Self.object(writtenData)["pre_tokenizer"], expected))
        let copy = try BPETokenizer(tokenizerJSON: writtenData)
        for text in try TokenizerFixtures.corpus() { #expect(copy.encode(text) == tokenizer.encode(text)) }
    }

    @Test("the unknown token and fuse_unk are kept")
    func unknownToken() throws {
        let data = try TokenizerJSONRefusalTests.changed {
            TokenizerJSONRefusalTests.set(&$0, "model", "unk_token", "<|endoftext|>")
            TokenizerJSONRefusalTests.set(&$0, "model", "fuse_unk", true)
        }
        let model = try #require(
            try Self.object(BPETokenizer(tokenizerJSON: data).tokenizerJSON())["model"] as? [String: Any])
        #expect(model["unk_token"] as? String == "<|endoftext|>")
        #expect(model["fuse_unk"] as? Bool == true)
    }
}
