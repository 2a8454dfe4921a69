import Testing
import VRLearner
import VRModel
import VRObjectives
import VRTensor

/// The learner's model-phase pass against the objectives module and the model, computed independently.
@Suite("model-phase step")
struct ModelPhaseStepTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 24, vocabularySize: 20)

    func batch() -> [QuestionForTraining] {
        var generator = SeededGenerator(seed: 11)
        func tokens(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32(generator.next() % 20) } }
        return [(3, [(4, 1), (6, 3), (2, 0)]), (2, [(5, 2), (3, 2)])].map { promptCount, traces in
            QuestionForTraining(
                promptTokens: tokens(promptCount),
                traces: traces.map { traceCount, correct in
                    TraceForTraining(
                        traceTokens: tokens(traceCount), answerTokens: tokens(2),
                        logQ: (0..<traceCount).map { _ in -1 - 2 * generator.nextUniform() }, correctAnswers: correct,
                        sampledAnswers: 4)
                })
        }
    }

    @Test("[E4] [E5] [E6] [E10] the learner's weights and gradient equal the objectives' and the model's own")
    func matchesIndependentComputation() throws {
        let questions = batch()
        let learnerModel = try Transformer(configuration: configuration, seed: 5)
        let referenceModel = try Transformer(configuration: configuration, seed: 5)
        learnerModel.zeroGradients()
        let result = try ModelPhaseStep.run(model: learnerModel, questions: questions, normalizer: 6)
        // The objectives module on log pi scored independently.
        var sequences: [[Int32]] = []
        var targetWeights: [[Float]] = []
        for (index, question) in questions.enumerated() {
            let questionSequences = question.traces.map { question.promptTokens + $0.traceTokens + $0.answerTokens }
            let scored = try referenceModel.score(questionSequences)
            let evidence = zip(question.traces, scored).map { trace, logProbs in
                let start = question.promptTokens.count - 1
                return TraceEvidence(
                    logPiTrace: logProbs[start..<(start + trace.traceTokens.count)].map(Double.init),
                    logQTrace: trace.logQ.map(Double.init),
                    answer: .sampled(correct: trace.correctAnswers, total: trace.sampledAnswers))
            }
            let expected = try normalizedWeights(traces: evidence, estimator: .accuracy)
            #expect(result.weights[index].count == expected.weights.count)
            for (learner, reference) in zip(result.weights[index], expected.weights) {
                #expect(abs(learner - reference) < 1e-9)
            }
            #expect(abs(result.bounds[index] - (try multiTraceBound(traces: evidence, estimator: .accuracy))) < 1e-9)
            sequences += questionSequences
            for (trace, weight) in zip(question.traces, expected.weights) {
                targetWeights.append(
                    try TargetWeightLayout(
                        promptTokenCount: question.promptTokens.count, traceTokenCount: trace.traceTokens.count,
                        answerTokenCount: trace.answerTokens.count
                    ).targetWeights(traceWeight: weight))
            }
        }
        // Acc's zero rule: the trace with no correct answer gets no weight; each question's weights sum to 1.
        #expect(result.weights[0][2] == 0)
        #expect(result.weights.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
        // The gradient equals the model's own weighted training pass with those weights.
        referenceModel.zeroGradients()
        let reference = try referenceModel.train(sequences, targetWeights: targetWeights, normalizer: 6)
        #expect(abs(result.loss - reference.loss) < 1e-6 * max(1, abs(reference.loss)))
        let worst = zip(learnerModel.gradients.array, referenceModel.gradients.array).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-6)
        #expect(learnerModel.gradients.array.contains { $0 != 0 })
    }

    @Test("malformed traces are refused with what is wrong")
    func malformed() throws {
        let model = try Transformer(configuration: configuration, seed: 5)
        var questions = batch()
        questions[1].traces[0].logQ.removeLast()
        #expect(throws: LearnerStepError.self) {
            try ModelPhaseStep.run(model: model, questions: questions, normalizer: 1)
        }
        var invalidCounts = batch()
        invalidCounts[0].traces[0].correctAnswers = 9
        #expect(throws: LearnerStepError.self) {
            try ModelPhaseStep.run(model: model, questions: invalidCounts, normalizer: 1)
        }
    }
}
