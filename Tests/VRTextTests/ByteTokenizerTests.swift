// Tests for the byte-level tokenizer: ids, round trips, special tokens, errors.

import Testing
import VRText

@Suite("ByteTokenizer")
struct ByteTokenizerTests {
    let tokenizer = ByteTokenizer()

    @Test("vocabulary is 256 bytes plus 12 special tokens in the documented order")
    func vocabulary() {
        #expect(tokenizer.vocabularySize == 268)
        #expect(ByteTokenizer.vocabularySize == 268)
        let texts = SpecialToken.allCases.map(\.text)
        #expect(
            texts == [
                "<|endoftext|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>",
                "<|begin_of_thought|>", "<|end_of_thought|>", "<|begin_of_solution|>", "<|end_of_solution|>",
                "<|begin_of_explanation|>", "<|end_of_explanation|>",
            ])
        #expect(SpecialToken.allCases.map(\.id) == Array(256...267))
        #expect(tokenizer.id(of: .endOfText) == 256)
        #expect(tokenizer.id(of: .beginOfThought) == 262)
        #expect(tokenizer.id(of: .endOfExplanation) == 267)
    }

    @Test("ASCII text encodes to its bytes and decodes back")
    func asciiRoundTrip() throws {
        let ids = tokenizer.encode("Hi, 2+2=4!\n")
        #expect(ids == [72, 105, 44, 32, 50, 43, 50, 61, 52, 33, 10])
        #expect(try tokenizer.decode(ids) == "Hi, 2+2=4!\n")
        #expect(tokenizer.encode("") == [])
        #expect(try tokenizer.decode([]) == "")
    }

    @Test("multi-byte UTF-8 encodes to one id per byte and decodes back")
    func multiByteRoundTrip() throws {
        #expect(tokenizer.encode("é") == [0xC3, 0xA9])
        #expect(tokenizer.encode("€") == [0xE2, 0x82, 0xAC])
        #expect(tokenizer.encode("😀") == [0xF0, 0x9F, 0x98, 0x80])
        let text = "café 😀 ∑ 日本"
        let ids = tokenizer.encode(text)
        #expect(ids.count == text.utf8.count)
        #expect(try tokenizer.decode(ids) == text)
    }

    @Test("each special token's text encodes to its single id and back", arguments: SpecialToken.allCases)
    func specialRoundTrip(token: SpecialToken) throws {
        #expect(tokenizer.encode(token.text) == [token.id])
        #expect(try tokenizer.decode([token.id]) == token.text)
        #expect(try tokenizer.text(of: token.id) == token.text)
        #expect(tokenizer.isSpecial(token.id))
    }

    @Test("text mixing special tokens and bytes encodes each part")
    func mixedText() throws {
        let text = "<|user|>2+2?<|end|><|assistant|><|begin_of_thought|>é<|end_of_thought|>"
        let ids = tokenizer.encode(text)
        #expect(ids == [259, 50, 43, 50, 63, 261, 260, 262, 0xC3, 0xA9, 263])
        #expect(try tokenizer.decode(ids) == text)
        #expect(tokenizer.encode("<|pad|><|pad|>x") == [257, 257, 120])
        #expect(tokenizer.encode("<<|end|>>") == [60, 261, 62])
    }

    @Test("strings that only resemble special tokens stay bytes")
    func partialSpecials() throws {
        #expect(tokenizer.encode("<|begin_of") == [60, 124, 98, 101, 103, 105, 110, 95, 111, 102])
        #expect(tokenizer.encode("<|end") == [60, 124, 101, 110, 100])
        #expect(tokenizer.encode("<|end|") == [60, 124, 101, 110, 100, 124])
        #expect(tokenizer.encode("<|END|>") == [60, 124, 69, 78, 68, 124, 62])
        #expect(tokenizer.encode("<| end |>").count == 9)
        #expect(tokenizer.encode("<|").allSatisfy { $0 < 256 })
        let near = "<|end_of_thought|<|end_of_solution>"
        #expect(tokenizer.encode(near).allSatisfy { $0 < 256 })
        #expect(try tokenizer.decode(tokenizer.encode(near)) == near)
    }

    @Test("an id outside the vocabulary throws an error naming the id and its position")
    func outOfRange() throws {
        #expect(throws: TextError.idOutOfRange(id: 268, position: 2, vocabularySize: 268)) {
            try tokenizer.decode([65, 66, 268, 67])
        }
        #expect(throws: TextError.idOutOfRange(id: -1, position: 0, vocabularySize: 268)) {
            try tokenizer.decode([-1])
        }
        #expect(throws: TextError.idOutOfRange(id: 300, position: 0, vocabularySize: 268)) {
            try tokenizer.text(of: 300)
        }
        let error = TextError.idOutOfRange(id: 268, position: 2, vocabularySize: 268)
        #expect(error.description == "token id 268 at position 2 is outside the vocabulary 0..<268")
    }

    @Test("decodeLossy renders out-of-range ids visibly and decodes the rest")
    func lossy() {
        #expect(tokenizer.decodeLossy([65, 999, 261, -5]) == "A<|unknown:999|><|end|><|unknown:-5|>")
        #expect(tokenizer.decodeLossy([0xC3, 0xA9]) == "é")
    }

    @Test("invalid UTF-8 byte sequences decode to U+FFFD")
    func invalidUTF8() throws {
        #expect(try tokenizer.decode([0x66, 0xFF, 0x67]) == "f\u{FFFD}g")
        #expect(try tokenizer.decode([0xC3]) == "\u{FFFD}")
        #expect(try tokenizer.decode([0xE2, 0x82, 261]) == "\u{FFFD}<|end|>")
        #expect(try tokenizer.decode([0x80, 0x80]) == "\u{FFFD}\u{FFFD}")
        #expect(try tokenizer.text(of: 0xC3) == "\u{FFFD}")
        #expect(try tokenizer.text(of: 65) == "A")
    }

    @Test("isSpecial is true exactly for ids 256...267")
    func isSpecial() {
        #expect(!tokenizer.isSpecial(0))
        #expect(!tokenizer.isSpecial(255))
        #expect(tokenizer.isSpecial(256))
        #expect(tokenizer.isSpecial(267))
        #expect(!tokenizer.isSpecial(268))
        #expect(!tokenizer.isSpecial(-1))
    }
}
