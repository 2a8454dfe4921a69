import Testing
import VRModel
import VRTasks
import VRTestSupport
import VRText
import VRWire
import VRWorker

/// Traces sampled and scored for both phases with tiny random models.
@Suite("rollout sampler")
struct RolloutSamplerTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize)

    func models() throws -> ModelPair {
        ModelPair(
            reasoning: try Transformer(configuration: configuration, seed: 1),
            posterior: try Transformer(configuration: configuration, seed: 2))
    }

    func items() throws -> [TaskItem] {
        try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 3, difficulties: 1...1)], countPerConfiguration: 2,
            split: .train
        ).items
    }

    func sampler() throws -> RolloutSampler {
        var options = RolloutOptions()
        options.maxTraceTokens = 5
        options.answersPerTrace = 3
        options.maxAnswerTokens = 4
        return try RolloutSampler(options: options)
    }

    @Test("[E5, E6] both phases' prompts; a finished trace keeps its end marker; log-probs, answers and Acc per trace")
    func shapes() throws {
        let items = try items()
        let requests = [
            RolloutRequest(item: items[0], phase: .model, traceCount: 3),
            RolloutRequest(item: items[1], phase: .posterior, traceCount: 2),
        ]
        let rollouts = try sampler().rollouts(for: requests, models: try models(), seed: 7)
        #expect(rollouts.map(\.questionID) == items.map(\.id))
        #expect(rollouts.map(\.traces.count) == [3, 2])
        let renderer = TemplateRenderer()
        let prompts = items.map { TaskPrompts(item: $0, renderer: renderer) }
        let stop = ByteTokenizer().id(of: .endOfThought)
        for (rollout, expectedPrompt) in zip(rollouts, [prompts[0].posteriorPrompt, prompts[1].reasoningPrompt]) {
            for trace in rollout.traces {
                #expect(trace.promptTokenIDs == expectedPrompt)
                #expect(trace.behaviourLogProbs.count == trace.traceTokenIDs.count)
                #expect(trace.behaviourLogProbs.allSatisfy { $0 <= 0 && $0.isFinite })
                #expect(trace.isTruncated == (trace.traceTokenIDs.last != stop))
                #expect(trace.isTruncated ? trace.traceTokenIDs.count == 5 : trace.traceTokenIDs.count <= 5)
                #expect(!trace.traceTokenIDs.dropLast().contains(stop), "the marker ends the trace")
                let (correct, total, answers) = (
                    trace.sampledAnswers.correctCount, trace.sampledAnswers.answerCount, trace.sampledAnswers.answers
                )
                #expect(total == 3 && (0...3).contains(correct))
                // Answers follow finished traces only, each with its log-probs and verdict.
                #expect(answers.count == (trace.isTruncated ? 0 : 3))
                #expect(answers.count(where: \.isCorrect) == correct)
                #expect(
                    answers.allSatisfy { $0.behaviourLogProbs.count == $0.tokenIDs.count && $0.tokenIDs.count <= 4 })
            }
        }
        // The same seed and parameters give the same rollouts.
        #expect(try sampler().rollouts(for: requests, models: try models(), seed: 7) == rollouts)
    }

    @Test(
        "a model-phase proposal picks the model and the prompt: behaviour log-probs are that model's on that prompt",
        arguments: [TraceProposal.hintedPosterior, .unhintedPosterior, .reasoningModel])
    func proposals(proposal: TraceProposal) throws {
        let item = try items()[0]
        let models = try models()
        let rollout = try sampler().rollouts(
            for: [RolloutRequest(item: item, phase: .model, traceCount: 3, proposal: proposal)], models: models,
            seed: 9)[0]
        #expect(rollout.phase == .model)
        let prompts = TaskPrompts(item: item, renderer: TemplateRenderer())
        let prompt = proposal.isHinted ? prompts.posteriorPrompt : prompts.reasoningPrompt
        let sampler = proposal.samplesPosterior ? models.posterior : models.reasoning
        let other = proposal.samplesPosterior ? models.reasoning : models.posterior
        for trace in rollout.traces where !trace.traceTokenIDs.isEmpty {
            #expect(trace.promptTokenIDs == prompt)
            let range = (prompt.count - 1)..<(prompt.count - 1 + trace.traceTokenIDs.count)
            let own = try sampler.score([prompt + trace.traceTokenIDs])[0][range]
            let others = try other.score([prompt + trace.traceTokenIDs])[0][range]
            #expect(zip(own, trace.behaviourLogProbs).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(zip(others, trace.behaviourLogProbs).contains { abs($0 - $1) > 1e-3 })
        }
    }

    /// Two questions of 6 traces with 6 answers each: 72 answer prompts, sampled in batches of 32, the first
    /// batch ending inside the first question's answers. q ends every trace at once, so each question's answers
    /// follow one answer prompt, and each answer's log-probs are pi's on its own question's prompt: an answer
    /// handed to the other question would show.
    @Test("[E7] answers sampled in several batches each follow their own question's trace")
    func answersInBatches() throws {
        let items = try items()
        var options = RolloutOptions()
        options.maxTraceTokens = 5
        options.answersPerTrace = 6
        options.maxAnswerTokens = 4
        let prompts = items.map { TaskPrompts(item: $0, renderer: TemplateRenderer()) }
        let models = ModelPair(
            reasoning: try Transformer(configuration: configuration, seed: 1),
            posterior: try TestModels.immediateStop(prompts: prompts, configuration: configuration))
        let requests = items.map { RolloutRequest(item: $0, phase: .model, traceCount: 6) }
        #expect(2 * 6 * 6 > RolloutSampler.answersPerBatch)
        let rollouts = try RolloutSampler(options: options).rollouts(for: requests, models: models, seed: 11)
        var checked = 0
        for (questionPrompts, rollout) in zip(prompts, rollouts) {
            for trace in rollout.traces where !trace.isTruncated {
                let answerPrompt = questionPrompts.answerPrompt(thought: Array(trace.traceTokenIDs.dropLast()))
                #expect(trace.sampledAnswers.answers.count == 6)
                for answer in trace.sampledAnswers.answers where !answer.tokenIDs.isEmpty {
                    let scored = try models.reasoning.score([answerPrompt + answer.tokenIDs])[0]
                    #expect(
                        zip(scored.suffix(answer.tokenIDs.count), answer.behaviourLogProbs).allSatisfy {
                            abs($0 - $1) < 1e-4
                        })
                    checked += 1
                }
            }
        }
        #expect(checked > RolloutSampler.answersPerBatch)
        #expect(try RolloutSampler(options: options).rollouts(for: requests, models: models, seed: 11) == rollouts)
    }

    @Test("[E6] Acc counts the sampled answers the verifier accepts")
    func accuracy() throws {
        let items = ["3+4=?", "2+2=?"].enumerated().map { index, question in
            TaskItem(
                id: "q\(index)", family: nil, question: question, referenceThought: "", referenceSolution: "",
                finalAnswer: index == 0 ? "7" : "4", difficulty: 1, verifier: .numeric)
        }
        let prompts = items.map { TaskPrompts(item: $0, renderer: TemplateRenderer()) }
        let models = ModelPair(
            reasoning: try TestModels.constantAnswer(prompts: prompts, configuration: configuration),
            posterior: try TestModels.immediateStop(prompts: prompts, configuration: configuration))
        var options = RolloutOptions()
        options.maxTraceTokens = 3
        options.answersPerTrace = 3
        options.answerTemperature = 0
        options.maxAnswerTokens = 12
        let rollouts = try RolloutSampler(options: options).rollouts(
            for: items.map { RolloutRequest(item: $0, phase: .model, traceCount: 2) }, models: models, seed: 5)
        let counts = rollouts.map { rollout in
            rollout.traces.map(\.sampledAnswers.correctCount)
        }
        #expect(counts == [[3, 3], [0, 0]])
        // The answers themselves travel with their verdicts ([E7]).
        for (rollout, isCorrect) in zip(rollouts, [true, false]) {
            for trace in rollout.traces {
                let answers = trace.sampledAnswers.answers
                #expect(
                    answers.map { ByteTokenizer().decodeLossy($0.tokenIDs) }
                        == Array(
                            repeating: "Answer: 7<|end_of_solution|>", count: 3))
                #expect(answers.allSatisfy { $0.isCorrect == isCorrect })
            }
        }
    }

    @Test(
        "[E11] the answer model picks whose answers score a trace: pi's, or the fixed reference model's in q's slot",
        arguments: [AnswerModel.reasoningModel, .posteriorParameters])
    func answerModels(answerModel: AnswerModel) throws {
        let item = try items()[0]
        let prompts = TaskPrompts(item: item, renderer: TemplateRenderer())
        // q closes its hinted trace at once, so every trace is finished and gets answers.
        let models = ModelPair(
            reasoning: try Transformer(configuration: configuration, seed: 1),
            posterior: try TestModels.immediateStop(prompts: [prompts], configuration: configuration))
        var options = RolloutOptions()
        options.maxTraceTokens = 4
        options.answersPerTrace = 2
        options.maxAnswerTokens = 3
        let rollout = try RolloutSampler(options: options).rollouts(
            for: [
                RolloutRequest(
                    item: item, phase: .model, traceCount: 4, proposal: .hintedPosterior, answerModel: answerModel)
            ], models: models, seed: 11)[0]
        let scorer = answerModel == .posteriorParameters ? models.posterior : models.reasoning
        let other = answerModel == .posteriorParameters ? models.reasoning : models.posterior
        var checked = 0
        for trace in rollout.traces where !trace.isTruncated {
            let answers = trace.sampledAnswers.answers
            let answerPrompt = prompts.answerPrompt(thought: Array(trace.traceTokenIDs.dropLast()))
            #expect(answerPrompt == prompts.reasoningPrompt + trace.traceTokenIDs + prompts.answerOpening)
            for answer in answers where !answer.tokenIDs.isEmpty {
                let range = (answerPrompt.count - 1)..<(answerPrompt.count - 1 + answer.tokenIDs.count)
                let own = try scorer.score([answerPrompt + answer.tokenIDs])[0][range]
                let others = try other.score([answerPrompt + answer.tokenIDs])[0][range]
                #expect(zip(own, answer.behaviourLogProbs).allSatisfy { abs($0 - $1) < 1e-4 })
                #expect(zip(others, answer.behaviourLogProbs).contains { abs($0 - $1) > 1e-3 })
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test("models the tokenizer does not fit are refused: a pretrained family with bytes, a smaller vocabulary")
    func mismatchedTokenizer() throws {
        let llama = TransformerConfiguration(
            family: .llama, layerCount: 1, width: 16, headCount: 2, keyValueHeadCount: 1, headWidth: 8,
            hiddenWidth: 24, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize, ropeTheta: 10_000,
            normEpsilon: 1e-5, tiedEmbeddings: true)
        let small = TransformerConfiguration(
            layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize - 1)
        let requests = try items().map { RolloutRequest(item: $0, phase: .model, traceCount: 1) }
        for (configuration, expected) in [(llama, "--tokenizer"), (small, "another model's tokenizer")] {
            let model = try Transformer(configuration: configuration, seed: 1)
            #expect {
                _ = try sampler().rollouts(
                    for: requests, models: ModelPair(reasoning: model, posterior: model), seed: 1)
            } throws: { error in
                guard case WorkerError.invalidConfiguration(let message) = error else { return false }
                return message.contains(expected)
            }
        }
    }
}
