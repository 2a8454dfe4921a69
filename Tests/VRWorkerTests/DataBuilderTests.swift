import Testing
import VRModel
import VRTasks
import VRText
import VRWorker

/// The offline pipeline: the best of q's traces by [E5] [E6] weights, or the reference when none is usable.
@Suite("data builder")
struct DataBuilderTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize)

    @Test("[E6] a question with verified answers gets q's trace; one without keeps its reference thought")
    func selection() throws {
        let items = ["3+4=?", "2+2=?"].enumerated().map { index, question in
            TaskItem(
                id: "q\(index)", family: nil, question: question, referenceThought: "reference",
                referenceSolution: "Answer: \(index == 0 ? 7 : 4)", finalAnswer: index == 0 ? "7" : "4", difficulty: 1,
                verifier: .numeric)
        }
        let renderer = TemplateRenderer()
        let prompts = items.map { TaskPrompts(item: $0, renderer: renderer) }
        let models = ModelPair(
            reasoning: try TestModels.constantAnswer(prompts: prompts, configuration: configuration),
            posterior: try TestModels.immediateStop(prompts: prompts, configuration: configuration))
        var options = RolloutOptions()
        options.maxTraceTokens = 4
        options.answersPerTrace = 2
        options.answerTemperature = 0
        options.maxAnswerTokens = 12
        let examples = try DataBuilder(traceCount: 3, options: options).build(items, models: models, seed: 1)
        #expect(examples.map(\.questionID) == ["q0", "q1"])
        #expect(examples.map(\.prompt) == items.map { $0.reasoningExample(renderer: renderer).prompt })
        // q0: q's empty thought is followed by 7 from pi0, so it is chosen, with the reference solution after it.
        #expect(examples[0].logWeight != nil)
        #expect(examples[0].response.hasSuffix(renderer.answerTarget(solution: "Answer: 7")))
        #expect(examples[0].response == renderer.reasoningTarget(thought: "", solution: "Answer: 7"))
        // q1: no trace leads to 4, so the reference example stays.
        #expect(examples[1].logWeight == nil)
        #expect(examples[1].response == items[1].reasoningExample(renderer: renderer).response)
    }
}
