import Testing
import VRModel
import VRObjectives
import VRText
import VRTraining

@Suite("SFTExample and the Dr. SFT normalizer")
struct SFTExampleTests {
    let tokenizer = ByteTokenizer()
    let end = SpecialToken.endOfText.id

    @Test("[E10] prompt targets weigh 0, response and end-token targets weigh 1")
    func weightsLayout() throws {
        let example = try SFTExample(
            PromptResponseExample(prompt: "ab", response: "cde"), text: .bytes, contextLength: 16)
        #expect(example.tokens == tokenizer.encode("abcde") + [end])
        // targets predict b, c, d, e, end: b is prompt, the rest are response
        #expect(example.targetWeights == [0, 1, 1, 1, 1])
        #expect(example.targetWeights.count == example.tokens.count - 1)
        #expect(example.promptTokenCount == 2)
        #expect(example.weightedTargetCount == 4)
    }

    @Test("[E10] a weighted example scales its response targets by its weight")
    func exampleWeight() throws {
        let example = try SFTExample(
            PromptResponseExample(prompt: "ab", response: "cd", weight: 0.25), text: .bytes, contextLength: 16)
        #expect(example.targetWeights == [0, 0.25, 0.25, 0.25])
        #expect(example.weightedTargetCount == 3)
    }

    @Test("[E10] special-token text in a response is one weighted target")
    func specialTokens() throws {
        let example = try SFTExample(
            PromptResponseExample(prompt: "q", response: "<|begin_of_thought|>x"), text: .bytes,
            contextLength: 16)
        #expect(example.tokens == [Int32(UInt8(ascii: "q")), SpecialToken.beginOfThought.id, 120, end])
        #expect(example.targetWeights == [1, 1, 1])
    }

    @Test("an empty prompt becomes a document start, so every response token is a target")
    func emptyPrompt() throws {
        let example = try SFTExample(
            PromptResponseExample(prompt: "", response: "hi"), text: .bytes, contextLength: 16)
        #expect(example.tokens == [end] + tokenizer.encode("hi") + [end])
        #expect(example.targetWeights == [1, 1, 1])
    }

    @Test("an over-long example is an error naming its line and lengths")
    func tooLong() {
        let example = PromptResponseExample(prompt: "abcd", response: "efgh", line: 12)
        #expect(
            throws: TrainingError.exampleTooLong(
                index: 3, line: 12, promptTokenCount: 4, tokenCount: 9, contextLength: 8)
        ) {
            try SFTExample(example, text: .bytes, contextLength: 8, index: 3)
        }
    }

    @Test("truncation cuts the response, keeps prompt weights at 0, and fails when the prompt fills the context")
    func truncation() throws {
        let example = PromptResponseExample(prompt: "abcd", response: "efgh")
        let cut = try SFTExample(example, text: .bytes, contextLength: 6, truncate: true)
        #expect(cut.tokens == tokenizer.encode("abcdef"))
        #expect(cut.targetWeights == [0, 0, 0, 1, 1])
        #expect(throws: TrainingError.self) {
            try SFTExample(example, text: .bytes, contextLength: 4, truncate: true)
        }
    }

    @Test("tokenize reports the dataset index of the failing example")
    func tokenizeDataset() {
        let dataset = PromptResponseDataset(examples: [
            PromptResponseExample(prompt: "a", response: "b"),
            PromptResponseExample(prompt: "a", response: "bcdefgh"),
        ])
        #expect(
            throws: TrainingError.exampleTooLong(
                index: 1, line: nil, promptTokenCount: 1, tokenCount: 9, contextLength: 5)
        ) {
            try SFTExample.tokenize(dataset, text: .bytes, contextLength: 5)
        }
    }

    @Test("[E10] C is the mean weighted target count over the data set; a step uses C * B")
    func normalizerValue() throws {
        // weighted targets: "x" -> 2, "abc" -> 4, "abcdefgh" -> 9 (response + end token)
        let dataset = PromptResponseDataset(examples: [
            PromptResponseExample(prompt: "p", response: "x"),
            PromptResponseExample(prompt: "prompt", response: "abc"),
            PromptResponseExample(prompt: "", response: "abcdefgh"),
        ])
        let examples = try SFTExample.tokenize(dataset, text: .bytes, contextLength: 32)
        #expect(examples.map(\.weightedTargetCount) == [2, 4, 9])
        #expect(try DrSFTNormalizer.constant(for: examples) == 5)
        #expect(DrSFTNormalizer.stepNormalizer(constant: 5, batchSize: 16) == 80)
    }
}
