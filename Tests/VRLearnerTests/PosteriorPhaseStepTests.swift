import Testing
import VRLearner
import VRModel
import VRTensor

@Suite("posterior-phase step")
struct PosteriorPhaseStepTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 24, vocabularySize: 20)

    @Test("[E8] weights are normalised accuracies and q is trained on the traces only, with those weights")
    func forwardKL() throws {
        let questions = [
            QuestionForPosterior(
                posteriorPromptTokens: [1, 2, 3],
                traces: [
                    PriorTrace(traceTokens: [4, 5, 6], correctAnswers: 3, sampledAnswers: 4),
                    PriorTrace(traceTokens: [7, 8], correctAnswers: 1, sampledAnswers: 4),
                    PriorTrace(traceTokens: [9], correctAnswers: 0, sampledAnswers: 4),
                ]),
            QuestionForPosterior(
                posteriorPromptTokens: [5],
                traces: [PriorTrace(traceTokens: [2, 2], correctAnswers: 0, sampledAnswers: 2)]),
        ]
        let posterior = try Transformer(configuration: configuration, seed: 8)
        let reference = try Transformer(configuration: configuration, seed: 8)
        posterior.zeroGradients()
        let result = try PosteriorPhaseStep.run(posterior: posterior, questions: questions, normalizer: 4)
        let expectedWeights: [[Double]] = [[0.75, 0.25, 0], [0]]
        #expect(result.weights.map(\.count) == expectedWeights.map(\.count))
        for (weights, expectedRow) in zip(result.weights, expectedWeights) {
            #expect(zip(weights, expectedRow).allSatisfy { abs($0 - $1) < 1e-12 })
        }
        // The same gradient as SFT of q with the prompt unweighted and each trace weighted by wTilde.
        reference.zeroGradients()
        let expected = try reference.train(
            [[1, 2, 3, 4, 5, 6], [1, 2, 3, 7, 8], [1, 2, 3, 9], [5, 2, 2]],
            targetWeights: [[0, 0, 0.75, 0.75, 0.75], [0, 0, 0.25, 0.25], [0, 0, 0], [0, 0]], normalizer: 4)
        #expect(abs(result.loss - expected.loss) < 1e-9)
        let worst = zip(posterior.gradients.array, reference.gradients.array).map { abs($0 - $1) }.max() ?? 1
        #expect(worst == 0)
        #expect(posterior.gradients.array.contains { $0 != 0 })
    }

    @Test("invalid accuracy counts are refused with the question at fault")
    func invalidCounts() throws {
        let posterior = try Transformer(configuration: configuration, seed: 8)
        let questions = [
            QuestionForPosterior(
                posteriorPromptTokens: [1], traces: [PriorTrace(traceTokens: [2], correctAnswers: 1, sampledAnswers: 1)]
            ),
            QuestionForPosterior(
                posteriorPromptTokens: [1], traces: [PriorTrace(traceTokens: [2], correctAnswers: 5, sampledAnswers: 1)]
            ),
        ]
        do {
            _ = try PosteriorPhaseStep.run(posterior: posterior, questions: questions, normalizer: 1)
            Issue.record("invalid counts were accepted")
        } catch {
            #expect(String(describing: error).contains("question 1"))
        }
    }
}
