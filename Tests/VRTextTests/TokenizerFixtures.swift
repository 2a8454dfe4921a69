// Loading the tokenizer fixtures written by scripts/fixtures/make_tokenizer_fixtures.py with Hugging Face
// `tokenizers` (see that script for what each file holds).

import Foundation
import Testing
import VRText

enum TokenizerFixtures {
    /// What `tokenizers` gives for one tokenizer: NAME.expected.json.
    struct Expected: Decodable {
        struct Encoding: Decodable {
            let text: String
            let ids: [Int32]
            let decoded: String
        }
        struct Decoding: Decodable {
            let ids: [Int32]
            let text: String
        }
        let vocabularySize: Int
        let addedTokens: [String: Int32]
        let encodings: [Encoding]
        let decodings: [Decoding]

        enum CodingKeys: String, CodingKey {
            case encodings, decodings
            case vocabularySize = "vocabulary_size"
            case addedTokens = "added_tokens"
        }
    }

    /// The path of `Fixtures/NAME`.
    static func path(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let path = url.appendingPathComponent(name).path
        #expect(FileManager.default.fileExists(atPath: path), "missing fixture \(name)")
        return path
    }

    /// The contents of `Fixtures/NAME`.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(name)))
    }

    /// `Fixtures/NAME.expected.json`.
    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: data("\(name).expected.json"))
    }

    /// The hand-written corpus, `Fixtures/tokenizer-corpus.json`.
    static func corpus() throws -> [String] {
        try JSONDecoder().decode([String].self, from: data("tokenizer-corpus.json"))
    }

    /// Checks `tokenizer` against every case of `expected`: ids, decodes of those ids, decodes of random ids, the
    /// added tokens and the vocabulary size.
    static func check(_ tokenizer: some Tokenizer, against expected: Expected) throws {
        #expect(tokenizer.vocabularySize == expected.vocabularySize)
        for (content, id) in expected.addedTokens {
            #expect(tokenizer.id(ofSpecial: content) == id, "added token \(content.debugDescription)")
        }
        var mismatches = 0
        for encoding in expected.encodings {
            let ids = tokenizer.encode(encoding.text)
            if ids != encoding.ids { mismatches += 1 }
            #expect(ids == encoding.ids, "encoding \(encoding.text.debugDescription)")
            #expect(try tokenizer.decode(encoding.ids) == encoding.decoded, "decoding \(encoding.ids)")
        }
        for decoding in expected.decodings {
            #expect(try tokenizer.decode(decoding.ids) == decoding.text, "decoding \(decoding.ids)")
        }
        #expect(mismatches == 0, "\(mismatches) of \(expected.encodings.count) encodings differ from tokenizers'")
    }
}
