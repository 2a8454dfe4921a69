// Both tokenizers through the Tokenizer protocol: round trips and special-token lookups.

import Testing
import VRText

@Suite("Tokenizer protocol")
struct TokenizerProtocolTests {
    @Test("ByteTokenizer names its special tokens' ids and no others")
    func byteTokenizer() {
        let tokenizer: any Tokenizer = ByteTokenizer()
        #expect(tokenizer.vocabularySize == 268)
        #expect(tokenizer.id(ofSpecial: "<|end|>") == 261)
        #expect(tokenizer.id(ofSpecial: "<|endoftext|>") == 256)
        #expect(tokenizer.id(ofSpecial: "<|im_end|>") == nil)
        #expect(tokenizer.id(ofSpecial: "a") == nil)
    }

    @Test("every corpus case decodes back to itself, without a normalizer")
    func roundTrips() throws {
        let tokenizers: [any Tokenizer] = [
            ByteTokenizer(), try BPETokenizer(tokenizerJSONPath: TokenizerFixtures.path("llama3-style.tokenizer.json")),
        ]
        for tokenizer in tokenizers {
            for text in try TokenizerFixtures.corpus() {
                let ids = tokenizer.encode(text)
                #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
                #expect(try tokenizer.decode(ids) == text)
            }
        }
    }
}
