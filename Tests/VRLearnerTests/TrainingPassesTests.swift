import Testing
import VRWire

@testable import VRLearner

/// A step in passes of bounded size trains as one pass does.
@Suite("training passes")
struct TrainingPassesTests {
    @Test("passes keep the share's order, stay within the budget, and give a larger question a pass of its own")
    func grouping() {
        let tokenCounts = [3, 4, 10, 2, 5, 1]
        #expect(
            TrainingPasses(share: [0, 1, 2, 3, 4, 5], tokenCounts: tokenCounts, maxTokens: 7).passes == [
                [0, 1], [2], [3, 4], [5],
            ])
        // A rank's share need not be consecutive.
        #expect(TrainingPasses(share: [1, 3, 5], tokenCounts: tokenCounts, maxTokens: 7).passes == [[1, 3, 5]])
        #expect(TrainingPasses(share: [], tokenCounts: tokenCounts, maxTokens: 7).passes.isEmpty)
        #expect(TrainingPasses(share: [2, 0], tokenCounts: tokenCounts, maxTokens: 100).passes == [[2, 0]])
    }

    @Test("[E4] [E8] [E10] steps in passes of a few questions equal steps in one pass")
    func passesEqualOnePass() throws {
        let fixture = RankSplitTests()
        let whole = try fixture.trainer()
        let split = try fixture.trainer(maxTokensPerPass: 24)
        // The budget does split both phases' steps.
        let tokenCounts = fixture.modelQuestions(step: 0).map {
            ModelPhaseStep.tokenCount(of: $0, objective: split.configuration.modelObjective)
        }
        #expect(TrainingPasses(share: Array(0..<5), tokenCounts: tokenCounts, maxTokens: 24).passes.count >= 3)
        let expected = try fixture.train(whole)
        let outcomes = try fixture.train(split)
        for (passes, onePass) in [
            (split.models.reasoning, whole.models.reasoning), (split.models.posterior, whole.models.posterior),
        ] {
            let difference = zip(passes.parameters.array, onePass.parameters.array).map { abs($0 - $1) }.max() ?? 0
            #expect(difference <= 2e-6, "largest parameter difference \(difference)")
        }
        for (passes, onePass) in zip(outcomes, expected) {
            #expect(passes.tokenCount == onePass.tokenCount)
            #expect(abs(passes.loss - onePass.loss) <= 1e-5 * max(1, abs(onePass.loss)))
            #expect(passes.weights.count == onePass.weights.count)
            for (passWeights, onePassWeights) in zip(passes.weights, onePass.weights) {
                #expect(zip(passWeights, onePassWeights).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(passWeights)")
            }
            #expect(passes.bounds.count == onePass.bounds.count)
            #expect(zip(passes.bounds, onePass.bounds).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-4 })
        }
    }

    @Test("the model phase counts the tokens of the sequences it trains: one per distinct correct answer")
    func modelTokenCount() {
        let trace = TraceForTraining(
            traceTokens: [60, 61, 62], logQ: [-1, -1, -1], answerOpening: [33], referenceAnswer: [50, 51],
            correctAnswers: 0, answerCount: 0)
        let question = QuestionForTraining(questionID: "q", promptTokens: [40, 41], traces: [trace, trace])
        // GML trains the reference answer: 2 + 3 + 1 + 2 tokens per trace.
        var gml = ModelObjective()
        gml.estimator = .gml
        #expect(ModelPhaseStep.tokenCount(of: question, objective: gml) == 16)
        // Acc without a correct answer trains the prompt and the trace alone.
        #expect(ModelPhaseStep.tokenCount(of: question, objective: ModelObjective()) == 10)
        // Acc with correct answers [7], [7] and [8, 9] (and a wrong one): one sequence per distinct correct answer,
        // 2 + 3 + 1 + 1 and 2 + 3 + 1 + 2 tokens.
        let answers = [[Int32(7)], [7], [8, 9], [5]].enumerated().map { index, tokens in
            SampledAnswer(tokenIDs: tokens, behaviourLogProbs: tokens.map { _ in -1 }, isCorrect: index < 3)
        }
        let answered = TraceForTraining(
            traceTokens: [60, 61, 62], logQ: [-1, -1, -1], answerOpening: [33], answers: answers, correctAnswers: 3,
            answerCount: 4)
        let withAnswers = QuestionForTraining(questionID: "q", promptTokens: [40, 41], traces: [answered])
        #expect(ModelPhaseStep.tokenCount(of: withAnswers, objective: ModelObjective()) == 15)
    }
}
