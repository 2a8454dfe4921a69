// BPETokenizer against Hugging Face `tokenizers` on three small byte-level BPE tokenizers, loaded from their
// tokenizer.json and (two of them) from GGUF files: Fixtures/*.expected.json, written by
// scripts/fixtures/make_tokenizer_fixtures.py.

import Foundation
import Testing
import VRText

@Suite("BPETokenizer against tokenizers")
struct BPETokenizerFixtureTests {
    /// A fixture tokenizer and the file it is loaded from.
    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case qwen2JSON = "qwen2-style.tokenizer.json"
        case qwen2GGUF = "qwen2-style.gguf"
        case llama3JSON = "llama3-style.tokenizer.json"
        case llama3GGUF = "llama3-style.gguf"
        case gpt2JSON = "gpt2-style.tokenizer.json"

        var testDescription: String { rawValue }

        /// The name of its expected file.
        var name: String { String(rawValue.prefix { $0 != "." }) }

        func load() throws -> BPETokenizer {
            let path = try TokenizerFixtures.path(rawValue)
            return rawValue.hasSuffix(".gguf")
                ? try BPETokenizer(ggufPath: path) : try BPETokenizer(tokenizerJSONPath: path)
        }
    }

    @Test("ids and decodes equal tokenizers' for every corpus and random case", arguments: Source.allCases)
    func matchesTokenizers(source: Source) throws {
        try TokenizerFixtures.check(source.load(), against: TokenizerFixtures.expected(source.name))
    }

    @Test(
        "the expected files cover the whole corpus, in order", arguments: ["qwen2-style", "llama3-style", "gpt2-style"])
    func coversCorpus(name: String) throws {
        let corpus = try TokenizerFixtures.corpus()
        let texts = try TokenizerFixtures.expected(name).encodings.map(\.text)
        #expect(Array(texts.prefix(corpus.count)) == corpus)
        #expect(texts.count > corpus.count)
    }

    @Test("a tokenizer.json loads from memory as from its path")
    func loadsFromData() throws {
        let data = try TokenizerFixtures.data("llama3-style.tokenizer.json")
        let fromData = try BPETokenizer(tokenizerJSON: data)
        let fromPath = try Source.llama3JSON.load()
        for text in try TokenizerFixtures.corpus() { #expect(fromData.encode(text) == fromPath.encode(text)) }
    }

    @Test("ignore_merges takes a vocabulary word whole; without it the merges split it")
    func ignoreMerges() throws {
        let llama3 = try Source.llama3JSON.load()
        #expect(llama3.encode(" supercalifragilistic") == [2000])
        #expect(llama3.encode("zzz") == [2001])
        let gguf = try Source.llama3GGUF.load()
        #expect(gguf.encode(" supercalifragilistic") == [2000])
        // The same word without its space is no vocabulary entry, so it is merged as usual.
        #expect(llama3.encode("supercalifragilistic").count > 1)
    }

    @Test("added tokens honour lstrip, rstrip, single_word and normalized")
    func addedTokenFlags() throws {
        let tokenizer = try Source.gpt2JSON.load()
        let mask = try #require(tokenizer.id(ofSpecial: "<mask>"))
        let separator = try #require(tokenizer.id(ofSpecial: "<sep>"))
        let xyz = try #require(tokenizer.id(ofSpecial: "xyz"))
        let cafe = try #require(tokenizer.id(ofSpecial: "café"))
        let resume = try #require(tokenizer.id(ofSpecial: "résumé"))
        // lstrip swallows the spaces before <mask>; rstrip the spaces after <sep>.
        #expect(tokenizer.encode("a   <mask>") == tokenizer.encode("a") + [mask])
        #expect(tokenizer.encode("<sep>   b") == [separator] + tokenizer.encode("b"))
        // single_word: xyz alone or between non-word characters, not inside a word.
        #expect(tokenizer.encode("xyz") == [xyz])
        #expect(tokenizer.encode("(xyz)").contains(xyz))
        #expect(!tokenizer.encode("axyz").contains(xyz))
        #expect(!tokenizer.encode("xyz1").contains(xyz))
        // normalized: café matches after NFC, also when written decomposed; résumé (not normalized) only as given.
        #expect(tokenizer.encode("cafe\u{301}") == [cafe])
        #expect(tokenizer.encode("résumé") == [resume])
        #expect(!tokenizer.encode("re\u{301}sume\u{301}").contains(resume))
        let flags = try #require(tokenizer.addedTokens.first { $0.content == "<mask>" })
        #expect(flags.special && flags.stripsLeft && !flags.stripsRight && !flags.normalized)
    }

    @Test("NFC matches tokenizers' Unicode 9.0 data and avoids Foundation's and the standard library's slips")
    func normalization() throws {
        let tokenizer = try Source.qwen2JSON.load()
        // Composed and decomposed accents encode alike.
        #expect(tokenizer.encode("Café") == tokenizer.encode("Cafe\u{301}"))
        // U+08D0 is newer than Unicode 9.0, so it blocks t + U+0308 from composing to U+1E97.
        #expect(tokenizer.encode("t\u{8D0}\u{308}") == tokenizer.encode("t") + tokenizer.encode("\u{8D0}\u{308}"))
        // U+203CB U+0301 stays as it is (Foundation on Linux turns it into U+03B0).
        #expect(try tokenizer.decode(tokenizer.encode("\u{203CB}\u{301}")) == "\u{203CB}\u{301}")
        // U+0F81's marks move before U+1E010 (ccc 129, 130 < 230).
        #expect(try tokenizer.decode(tokenizer.encode("L\u{1E010}\u{F81}")) == "L\u{F71}\u{F80}\u{1E010}")
    }

    @Test("copies share the word cache and encode alike from many tasks at once")
    func concurrentEncoding() async throws {
        let tokenizer = try Source.qwen2JSON.load()
        let corpus = try TokenizerFixtures.corpus()
        let expected = corpus.map(tokenizer.encode)
        let results = await withTaskGroup(of: [[Int32]].self) { group in
            for _ in 0..<8 { group.addTask { corpus.map(tokenizer.encode) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == expected) }
    }
}
