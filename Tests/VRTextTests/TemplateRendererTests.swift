// Tests for the reasoning and posterior templates: exact rendered strings, stop markers, configuration decoding.

import Foundation
import Testing
import VRText

@Suite("TemplateRenderer")
struct TemplateRendererTests {
    let renderer = TemplateRenderer()

    @Test("reasoning prompt: system, user turn, assistant turn opened with the thought marker")
    func reasoningPrompt() {
        #expect(
            renderer.reasoningPrompt(question: "2+3=?")
                == "<|system|>Think, then answer.<|end|><|user|>2+3=?<|end|><|assistant|><|begin_of_thought|>")
        let bare = TemplateRenderer(configuration: TemplateConfiguration(systemPrompt: ""))
        #expect(bare.reasoningPrompt(question: "2+3=?") == "<|user|>2+3=?<|end|><|assistant|><|begin_of_thought|>")
    }

    @Test("reasoning target: thought, end of thought, solution in its markers")
    func reasoningTarget() {
        #expect(
            renderer.reasoningTarget(thought: "2+3=5", solution: "Answer: 5")
                == "2+3=5<|end_of_thought|><|begin_of_solution|>Answer: 5<|end_of_solution|>")
    }

    @Test("answer prompt continues the reasoning prompt; prompt + target is one training sequence")
    func answerPrompt() {
        let prompt = renderer.answerPrompt(question: "Q", thought: "T")
        #expect(prompt == renderer.reasoningPrompt(question: "Q") + "T<|end_of_thought|><|begin_of_solution|>")
        #expect(
            prompt + renderer.answerTarget(solution: "Answer: 5")
                == renderer.reasoningPrompt(question: "Q")
                + renderer.reasoningTarget(thought: "T", solution: "Answer: 5"))
    }

    @Test("posterior template B: hint pre-filled, then the thought opened")
    func posteriorB() {
        #expect(
            renderer.posteriorPrompt(question: "2+3=?", solution: "Answer: 5")
                == "<|system|>Reason to the given solution.<|end|><|user|>2+3=?<|end|><|assistant|>"
                + "<|begin_of_solution|>Answer: 5<|end_of_solution|><|begin_of_thought|>")
        #expect(renderer.posteriorTarget(thought: "2+3=5") == "2+3=5<|end_of_thought|>")
        #expect(renderer.posteriorStop == .endOfThought)
        #expect(renderer.posteriorOutputLayout == .thought)
    }

    @Test("posterior template A: hint pre-filled, then the explanation opened")
    func posteriorA() {
        let configuration = TemplateConfiguration(posteriorSystemPrompt: "", posteriorVariant: .a)
        let renderer = TemplateRenderer(configuration: configuration)
        #expect(
            renderer.posteriorPrompt(question: "2+3=?", solution: "Answer: 5")
                == "<|user|>2+3=?<|end|><|assistant|><|begin_of_solution|>Answer: 5<|end_of_solution|>"
                + "<|begin_of_explanation|>")
        #expect(renderer.posteriorTarget(thought: "2+3=5") == "2+3=5<|end_of_explanation|>")
        #expect(renderer.posteriorStop == .endOfExplanation)
        #expect(renderer.posteriorOutputLayout == .explanation)
    }

    @Test("stop markers are single special tokens")
    func stopMarkers() {
        let tokenizer = ByteTokenizer()
        #expect(TemplateRenderer.thoughtStop == .endOfThought)
        #expect(TemplateRenderer.solutionStop == .endOfSolution)
        let prompt = renderer.reasoningPrompt(question: "Q")
        let ids = tokenizer.encode(prompt)
        #expect(ids.last == SpecialToken.beginOfThought.id)
        // system, text(19), end, user, "Q", end, assistant, begin_of_thought
        #expect(ids.count == 1 + 19 + 1 + 1 + 1 + 1 + 1 + 1)
    }

    @Test("configuration: defaults for missing keys, unknown keys rejected, round trip")
    func configurationDecoding() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(TemplateConfiguration.self, from: Data("{}".utf8)) == TemplateConfiguration())
        let custom = try decoder.decode(
            TemplateConfiguration.self,
            from: Data(#"{"systemPrompt": "", "posteriorVariant": "a", "hint": "answer"}"#.utf8))
        #expect(custom == TemplateConfiguration(systemPrompt: "", posteriorVariant: .a, hint: .answer))
        #expect(TemplateConfiguration().hint == .workedSolution)
        #expect(throws: DecodingError.self) {
            try decoder.decode(TemplateConfiguration.self, from: Data(#"{"sytemPrompt": "x"}"#.utf8))
        }
        let encoded = try JSONEncoder().encode(custom)
        #expect(try decoder.decode(TemplateConfiguration.self, from: encoded) == custom)
    }
}
