import Foundation
import Testing
import VRModel
import VRTasks
import VRTestSupport
import VRText
import VRWire
import VRWorker

/// The offline pipeline after sampling: the best of q's traces by [E5] [E6] weights, all of them weighted by
/// [E4], or the reference when none is usable.
@Suite("data builder")
struct DataBuilderTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize)
    let renderer = TemplateRenderer()

    /// Two questions; pi0 always answers 7, q closes its thought at once.
    func fixture() throws -> (items: [TaskItem], models: ModelPair, rollouts: [QuestionRollout]) {
        let items = ["3+4=?", "2+2=?"].enumerated().map { index, question in
            TaskItem(
                id: "q\(index)", family: nil, question: question, referenceThought: "reference",
                referenceSolution: "Answer: \(index == 0 ? 7 : 4)", finalAnswer: index == 0 ? "7" : "4", difficulty: 1,
                verifier: .numeric)
        }
        let prompts = items.map { TaskPrompts(item: $0, renderer: renderer) }
        let models = ModelPair(
            reasoning: try TestModels.constantAnswer(prompts: prompts, configuration: configuration),
            posterior: try TestModels.immediateStop(prompts: prompts, configuration: configuration))
        var options = RolloutOptions()
        options.maxTraceTokens = 4
        options.answersPerTrace = 2
        options.answerTemperature = 0
        options.maxAnswerTokens = 12
        let requests = items.map { RolloutRequest(item: $0, phase: .model, traceCount: 3) }
        let rollouts = try RolloutSampler(options: options, renderer: renderer).rollouts(
            for: requests, models: models, seed: 1)
        return (items, models, rollouts)
    }

    @Test("[E6] best trace: a question with verified answers gets q's trace; one without keeps its reference")
    func bestTrace() throws {
        let (items, models, rollouts) = try fixture()
        let builder = try DataBuilder(mode: .bestTrace, maxTraceTokens: 4, renderer: renderer)
        let examples = try zip(items, rollouts).flatMap {
            try builder.examples(for: $0, rollout: $1, reasoning: models.reasoning)
        }
        #expect(examples.map(\.questionID) == ["q0", "q1"])
        #expect(examples.map(\.prompt) == items.map { $0.reasoningExample(renderer: renderer).prompt })
        // q0: q's empty thought is followed by 7 from pi0, so it is chosen, with the reference solution after it.
        #expect(examples[0].logWeight != nil && !examples[0].isReference && examples[0].weight == 1)
        #expect(examples[0].response == renderer.reasoningTarget(thought: "", solution: "Answer: 7"))
        // q1: no trace leads to 4, so the reference example stays.
        #expect(examples[1].isReference && examples[1].logWeight == nil)
        #expect(examples[1].response == items[1].reasoningExample(renderer: renderer).response)
    }

    @Test("[E4] weighted: every usable trace becomes an example with its normalised weight; they sum to 1")
    func weighted() throws {
        let (items, models, rollouts) = try fixture()
        let builder = try DataBuilder(mode: .allWeighted, maxTraceTokens: 4, renderer: renderer)
        let first = try builder.examples(for: items[0], rollout: rollouts[0], reasoning: models.reasoning)
        // All three traces of q0 are the same empty thought with the same evidence: equal weights 1/3, up to the
        // float32 rounding of their scores (BLAS kernels may sum the rows of one batch in different orders: on
        // AVX2 the first trace's weight differs from the others by about 1e-6).
        #expect(first.count == 3)
        #expect(first.allSatisfy { !$0.isReference && abs($0.weight - 1.0 / 3) < 1e-5 })
        let second = try builder.examples(for: items[1], rollout: rollouts[1], reasoning: models.reasoning)
        #expect(second.count == 1 && second[0].isReference && second[0].weight == 1)
    }

    @Test("[E5] exact normalisation: the weights are a softmax of log acc plus the summed log ratio under pi0")
    func exactNormalization() throws {
        let (items, models, _) = try fixture()
        let prompts = TaskPrompts(item: items[0], renderer: renderer)
        // Thoughts of 0, 1 and 2 tokens, each closed with its marker, with q's log-probs: per token and exact
        // ratios rank them differently. The marker's log-probs enter the ratio ([E5]).
        let marker = ByteTokenizer().id(of: .endOfThought)
        let traceTokens: [[Int32]] = [[marker], [104, marker], [104, 105, marker]]
        let logQ: [[Float]] = [[-1], [-6, -0.5], [-5, -5, -0.25]]
        let rollout = QuestionRollout(
            questionID: items[0].id, phase: .model,
            traces: zip(traceTokens, logQ).map { tokens, logQ in
                TraceRecord(
                    promptTokenIDs: prompts.posteriorPrompt, traceTokenIDs: tokens, behaviourLogProbs: logQ,
                    isTruncated: false,
                    sampledAnswers: SampledAnswers(correctCount: 1, answerCount: 2))
            })
        // Scored as the builder scores them, with the reference answer after each trace (for GML): the same
        // batch, so the same float32 sums.
        let scores = try models.reasoning.score(
            traceTokens.map { prompts.reasoningPrompt + $0 + prompts.answerOpening + prompts.answer })
        let start = prompts.reasoningPrompt.count - 1
        let logRho = zip(zip(traceTokens, logQ), scores).map { trace, logProbs in
            let (tokens, logQ) = trace
            return log(0.5) + tokens.indices.reduce(0.0) { $0 + Double(logProbs[start + $1]) - Double(logQ[$1]) }
        }
        let largest = logRho.max()!
        let expected = logRho.map { exp($0 - largest) / logRho.reduce(0.0) { $0 + exp($1 - largest) } }
        let builder = try DataBuilder(
            mode: .allWeighted, maxTraceTokens: 4, normalization: .exact, renderer: renderer)
        // A truncated trace, or a finished one that lacks its marker, is never chosen.
        var unfinished = rollout
        unfinished.traces[0].isTruncated = true
        unfinished.traces[1].traceTokenIDs.removeLast()
        unfinished.traces[1].behaviourLogProbs.removeLast()
        #expect(try builder.examples(for: items[0], rollout: unfinished, reasoning: models.reasoning).count == 1)
        let weights = try builder.examples(for: items[0], rollout: rollout, reasoning: models.reasoning).map(\.weight)
        #expect(weights.count == 3)
        for (weight, expectedWeight) in zip(weights, expected) { #expect(abs(weight - expectedWeight) < 1e-9) }
        let perToken = try DataBuilder(mode: .allWeighted, maxTraceTokens: 4, renderer: renderer)
            .examples(for: items[0], rollout: rollout, reasoning: models.reasoning).map(\.weight)
        #expect(zip(weights, perToken).contains { abs($0 - $1) > 1e-3 }, "exact \(weights), per token \(perToken)")
    }

    @Test("[E6] GML: the weights are a softmax of the reference answer's mean log pi0 plus the per-token log ratio")
    func geometricMeanLikelihood() throws {
        let (items, models, _) = try fixture()
        let prompts = TaskPrompts(item: items[0], renderer: renderer)
        let marker = ByteTokenizer().id(of: .endOfThought)
        let thoughts: [[Int32]] = [[], [104], [104, 105]]
        let logQ: [[Float]] = [[-1], [-2, -0.5], [-1, -3, -0.25]]
        let rollout = QuestionRollout(
            questionID: items[0].id, phase: .model,
            traces: zip(thoughts, logQ).map { thought, logQ in
                TraceRecord(
                    promptTokenIDs: prompts.posteriorPrompt, traceTokenIDs: thought + [marker], behaviourLogProbs: logQ,
                    isTruncated: false, sampledAnswers: SampledAnswers(correctCount: 0, answerCount: 2))
            })
        // Independently: score [prompt; thought; end of thought; begin of solution; reference answer] with pi0.
        let logRho = try zip(thoughts, logQ).map { thought, logQ in
            let scores = try models.reasoning.score([prompts.answerPrompt(thought: thought) + prompts.answer])[0]
            let traceStart = prompts.reasoningPrompt.count - 1
            let ratio = (0..<logQ.count).reduce(0.0) { $0 + Double(scores[traceStart + $1]) - Double(logQ[$1]) }
            let answerStart = prompts.answerPrompt(thought: thought).count - 1
            let answer = (0..<prompts.answer.count).reduce(0.0) { $0 + Double(scores[answerStart + $1]) }
            return answer / Double(prompts.answer.count) + ratio / Double(logQ.count)
        }
        let largest = logRho.max()!
        let expected = logRho.map { exp($0 - largest) / logRho.reduce(0.0) { $0 + exp($1 - largest) } }
        let builder = try DataBuilder(
            selection: OfflineSelection(
                weighting: .variational(
                    estimator: .geometricMeanLikelihood, mode: .allWeighted, normalization: .perToken)),
            maxTraceTokens: 4, renderer: renderer)
        // GML needs no verifier: every trace counts although no sampled answer was correct.
        let weights = try builder.examples(for: items[0], rollout: rollout, reasoning: models.reasoning).map(\.weight)
        #expect(weights.count == 3)
        for (weight, expectedWeight) in zip(weights, expected) { #expect(abs(weight - expectedWeight) < 1e-5) }
        #expect(expected.contains { abs($0 - 1.0 / 3) > 1e-3 }, "the weights must differ for the check to bite")
    }

    @Test("a pooled question builds any K's data: the first K traces, as if only they were sampled")
    func firstTraces() throws {
        let (items, models, rollouts) = try fixture()
        let pooling = try DataBuilder(mode: .allWeighted, maxTraceTokens: 4, renderer: renderer)
        var pooled = try pooling.pooled(items[0], rollout: rollouts[0], reasoning: models.reasoning)
        #expect(pooled.traces.count == 3 && pooled.traces.allSatisfy(\.isUsable))
        // The first trace failed its answers: with K = 1 the question keeps its reference; with K = 2 the second
        // trace takes all the weight.
        pooled.traces[0].correctAnswers = 0
        var selection = OfflineSelection.accuracy(.allWeighted)
        selection.traces = 1
        let one = try DataBuilder(selection: selection, maxTraceTokens: 4, renderer: renderer)
            .examples(for: items[0], pooled: pooled)
        #expect(one.count == 1 && one[0].isReference)
        selection.traces = 2
        let two = try DataBuilder(selection: selection, maxTraceTokens: 4, renderer: renderer)
            .examples(for: items[0], pooled: pooled)
        #expect(two.count == 1 && !two[0].isReference && abs(two[0].weight - 1) < 1e-12)
    }

    @Test("[E11] RFT: traces with a correct answer, weighted acc / K; the 17K mix adds every reference once")
    func rejectionSamplingAndReferences() throws {
        let (items, models, rollouts) = try fixture()
        let pooling = try DataBuilder(mode: .allWeighted, maxTraceTokens: 4, renderer: renderer)
        var first = try pooling.pooled(items[0], rollout: rollouts[0], reasoning: models.reasoning)
        first.traces[1].correctAnswers = 1
        first.traces[2] = .unusable(sampledAnswers: 0, correctAnswers: 0, sampledTokens: 4)
        let second = try pooling.pooled(items[1], rollout: rollouts[1], reasoning: models.reasoning)
        let rft = try DataBuilder(
            selection: OfflineSelection(weighting: .rejectionSampling), maxTraceTokens: 4, renderer: renderer)
        // Trace 1: 2 of 2 correct, trace 2: 1 of 2, trace 3 unusable; K = 3.
        #expect(try rft.examples(for: items[0], pooled: first).map(\.weight) == [2.0 / 2 / 3, 1.0 / 2 / 3])
        #expect(try rft.examples(for: items[1], pooled: second).isEmpty)
        var best = OfflineSelection.accuracy(.bestTrace)
        best.includesReferences = true
        let mixed = try DataBuilder(selection: best, maxTraceTokens: 4, renderer: renderer)
        let withTrace = try mixed.examples(for: items[0], pooled: first)
        #expect(withTrace.map(\.isReference) == [true, false] && withTrace.allSatisfy { $0.weight == 1 })
        #expect(try mixed.examples(for: items[1], pooled: second).map(\.isReference) == [true])
    }

    @Test("a rollout of another question is refused")
    func mismatchedRollout() throws {
        let (items, models, rollouts) = try fixture()
        let builder = try DataBuilder(mode: .bestTrace, maxTraceTokens: 4, renderer: renderer)
        #expect(throws: WorkerError.self) {
            try builder.examples(for: items[0], rollout: rollouts[1], reasoning: models.reasoning)
        }
    }
}
