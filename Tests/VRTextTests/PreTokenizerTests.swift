// The hand-written split patterns on the cases where regex semantics are subtle; the words are those
// `tokenizers.pre_tokenizers.Split(Regex(...), "isolated")` and `ByteLevel(use_regex=True)` give (tokenizers 0.23.3).

import Testing

@testable import VRText

@Suite("Pre-tokenizer split patterns")
struct PreTokenizerTests {
    static func words(_ text: String, _ steps: [PreTokenizerStep]) -> [String] {
        let bytes = Array(text.utf8)
        var scalars = ScalarText()
        scalars.load(bytes, range: 0..<bytes.count)
        return PreTokenizer(steps: steps).words(of: scalars).map { word in
            String(
                decoding: bytes[scalars.byteOffsets[word.lowerBound]..<scalars.byteOffsets[word.upperBound]],
                as: UTF8.self)
        }
    }

    @Test("Qwen2: case-insensitive contractions (with long s), line breaks ending whitespace runs, single digits")
    func qwen2() {
        let qwen2: [PreTokenizerStep] = [.split(.llama3(maximumDigits: 1))]
        #expect(Self.words("it'\u{17F} ok", qwen2) == ["it", "'\u{17F}", " ok"])
        #expect(Self.words("IT'S", qwen2) == ["IT", "'S"])
        // A letter after the contraction shows it was taken as one (else "'" joins the letters after it).
        #expect(
            Self.words("it'\u{17F}t IT'Sx we'LLy he'Dd'REs", qwen2)
                == ["it", "'\u{17F}", "t", " IT", "'S", "x", " we", "'LL", "y", " he", "'D", "d", "'RE", "s"])
        #expect(Self.words("a  \n\n b", qwen2) == ["a", "  \n\n", " b"])
        #expect(Self.words("x\u{A0}\u{A0}y", qwen2) == ["x", "\u{A0}", "\u{A0}y"])
        #expect(Self.words("  \r\n  hi", qwen2) == ["  \r\n", " ", " hi"])
        #expect(Self.words("1234", qwen2) == ["1", "2", "3", "4"])
        #expect(Self.words("a'  ", qwen2) == ["a", "'", "  "])
        #expect(Self.words("", qwen2) == [])
    }

    @Test("Llama-3: digits in threes")
    func llama3() {
        #expect(Self.words("1234567", [.split(.llama3(maximumDigits: 3))]) == ["123", "456", "7"])
    }

    @Test("GPT-2: an optional leading space, case-sensitive contractions, whitespace before a word left apart")
    func gpt2() {
        let gpt2: [PreTokenizerStep] = [.split(.gpt2)]
        #expect(Self.words("Hello world! 123", gpt2) == ["Hello", " world", "!", " 123"])
        #expect(Self.words("a  b", gpt2) == ["a", " ", " b"])
        #expect(Self.words("a\tb", gpt2) == ["a", "\t", "b"])
        #expect(Self.words(" \t x", gpt2) == [" \t", " x"])
        #expect(Self.words("it'S", gpt2) == ["it", "'", "S"])
        #expect(Self.words("it'st it'St we'lly", gpt2) == ["it", "'s", "t", " it", "'", "St", " we", "'ll", "y"])
    }

    @Test("SmolLM2: every digit apart first, then GPT-2's pattern on the rest")
    func smollm2() {
        let smollm2: [PreTokenizerStep] = [.isolateNumbers, .split(.gpt2)]
        #expect(Self.words("x  12", smollm2) == ["x", "  ", "1", "2"])
        #expect(Self.words("x  12", [.split(.gpt2)]) == ["x", " ", " 12"])
    }

    @Test("only the known regexes are recognised")
    func recognition() {
        #expect(SplitPattern(regex: SplitPattern.qwen2Regex) == .llama3(maximumDigits: 1))
        #expect(SplitPattern(regex: SplitPattern.llama3Regex) == .llama3(maximumDigits: 3))
        #expect(SplitPattern(regex: SplitPattern.gpt2Regex) == .gpt2)
        #expect(SplitPattern(regex: "\\s+") == nil)
    }
}
