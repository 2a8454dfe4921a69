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
        return [(3, [(4, 1), (6, 3), (2, 0)]), (2, [(5, 2), (3, 2)])].enumerated().map { index, shape in
            let (promptCount, traces) = shape
            return QuestionForTraining(
                questionID: "q\(index)", promptTokens: tokens(promptCount),
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

    /// log pi of each question's traces and reference answers, scored independently by teacher forcing.
    func evidence(
        _ questions: [QuestionForTraining], model: Transformer, gml: Bool
    ) throws -> [[TraceEvidence]] {
        try questions.map { question in
            let scored = try model.score(
                question.traces.map { question.promptTokens + $0.traceTokens + $0.answerTokens })
            return zip(question.traces, scored).map { trace, logProbs in
                let start = question.promptTokens.count - 1
                let end = start + trace.traceTokens.count
                return TraceEvidence(
                    logPiTrace: logProbs[start..<end].map(Double.init), logQTrace: trace.logQ.map(Double.init),
                    answer: gml
                        ? .referenceLogProbs(logProbs[end..<(end + trace.answerTokens.count)].map(Double.init))
                        : .sampled(correct: trace.correctAnswers, total: trace.sampledAnswers))
            }
        }
    }

    /// Runs the step with `objective` and checks its gradient against the model's own pass with its weights.
    func run(_ objective: ModelObjective) throws -> ModelPhaseResult {
        let questions = batch()
        let learnerModel = try Transformer(configuration: configuration, seed: 5)
        let referenceModel = try Transformer(configuration: configuration, seed: 5)
        learnerModel.zeroGradients()
        let result = try ModelPhaseStep.run(
            model: learnerModel, questions: questions, normalizer: 6, objective: objective)
        let sequences = questions.flatMap { question in
            question.traces.map { question.promptTokens + $0.traceTokens + $0.answerTokens }
        }
        let targetWeights = try zip(questions, result.weights).flatMap { question, weights in
            try zip(question.traces, weights).map { trace, weight in
                try TargetWeightLayout(
                    promptTokenCount: question.promptTokens.count, traceTokenCount: trace.traceTokens.count,
                    answerTokenCount: trace.answerTokens.count
                ).targetWeights(traceWeight: weight)
            }
        }
        referenceModel.zeroGradients()
        _ = try referenceModel.train(sequences, targetWeights: targetWeights, normalizer: 6)
        let worst = zip(learnerModel.gradients.array, referenceModel.gradients.array).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-6)
        return result
    }

    @Test("[E6] GML weights come from the learner's own log pi of the reference answer")
    func geometricMeanLikelihood() throws {
        var objective = ModelObjective()
        objective.estimator = .gml
        let result = try run(objective)
        let model = try Transformer(configuration: configuration, seed: 5)
        for (index, evidence) in try evidence(batch(), model: model, gml: true).enumerated() {
            let expected = try normalizedWeights(traces: evidence, estimator: .geometricMeanLikelihood).weights
            #expect(zip(result.weights[index], expected).allSatisfy { abs($0 - $1) < 1e-9 })
            // GML gives every trace some weight, even the one whose sampled answers were all wrong.
            #expect(result.weights[index].allSatisfy { $0 > 0 })
        }
    }

    @Test("[E4] best-trace selection puts weight 1 on the argmax of log rho, nothing elsewhere")
    func bestTrace() throws {
        var objective = ModelObjective()
        objective.selection = .best
        let result = try run(objective)
        let model = try Transformer(configuration: configuration, seed: 5)
        for (index, evidence) in try evidence(batch(), model: model, gml: false).enumerated() {
            let logWeights = try logImportanceWeights(evidence, estimator: .accuracy)
            let best = try #require(logWeights.indices.max { logWeights[$0] < logWeights[$1] })
            #expect(result.weights[index] == logWeights.indices.map { $0 == best ? 1 : 0 })
        }
    }

    @Test("[E11] RFT: 1/K on each trace with at least half of its answers correct")
    func rejectionSamplingFineTuning() throws {
        var objective = ModelObjective()
        objective.method = .rft
        // Correct answers out of 4: [1, 3, 0] and [2, 2].
        #expect(try run(objective).weights == [[0, 1.0 / 3, 0], [0.5, 0.5]])
    }

    @Test("[E12] GRPO: group-normalised advantages over K, zero for a group with equal rewards")
    func groupRelativePolicyOptimisation() throws {
        var objective = ModelObjective()
        objective.method = .grpo
        let weights = try run(objective).weights
        // Rewards [0, 1, 0]: mean 1/3, std sqrt(2)/3, so A = [-1, 2, -1] / sqrt(2), divided by K = 3.
        let expected = [-1.0, 2, -1].map { $0 / 2.0.squareRoot() / 3 }
        #expect(zip(weights[0], expected).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(weights[1] == [0, 0])
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
