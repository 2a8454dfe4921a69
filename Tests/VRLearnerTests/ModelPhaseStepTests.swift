import Testing
import VRCore
import VRLearner
import VRModel
import VRObjectives
import VRTensor
import VRWire

#if canImport(Glibc)
    import Glibc
#endif

/// The learner's model-phase pass against the objectives module and the model, computed independently.
@Suite("model-phase step")
struct ModelPhaseStepTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 24, vocabularySize: 20)

    /// Two questions; per trace its length and which of its 4 sampled answers are correct. Correct answers 0 and
    /// 2 of a trace are the same tokens when both are correct, so [E7]'s average counts repeats.
    static let shapes: [(prompt: Int, traces: [(length: Int, correct: Set<Int>)])] = [
        (3, [(4, [1]), (6, [0, 1, 2]), (2, [])]),
        (2, [(5, [0, 2]), (3, [0, 3])]),
    ]

    func batch() -> [QuestionForTraining] {
        var generator = SeededGenerator(seed: 11)
        func tokens(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32(generator.next() % 19) } }
        func logProbs(_ count: Int) -> [Float] { (0..<count).map { _ in -1 - 2 * generator.nextUniform() } }
        return Self.shapes.enumerated().map { index, shape in
            QuestionForTraining(
                questionID: "q\(index)", promptTokens: tokens(shape.prompt),
                traces: shape.traces.map { length, correct in
                    var answers = (0..<4).map { answer in
                        let count = 1 + answer % 3
                        return SampledAnswer(
                            tokenIDs: tokens(count), behaviourLogProbs: logProbs(count),
                            isCorrect: correct.contains(answer))
                    }
                    if correct.isSuperset(of: [0, 2]) { answers[2].tokenIDs = answers[0].tokenIDs }
                    if correct.isSuperset(of: [0, 2]) { answers[2].behaviourLogProbs = answers[0].behaviourLogProbs }
                    return TraceForTraining(
                        traceTokens: tokens(length), logQ: logProbs(length), answerOpening: [19],
                        referenceAnswer: tokens(2), answers: answers, correctAnswers: correct.count, answerCount: 4)
                })
        }
    }

    /// The sequences and target weights [E4], [E7], [E10] prescribe for trace weights `weights`, built without the
    /// learner's code: the reference answer after every trace for GML, else one sequence per correct sampled answer
    /// (the trace and opening weighted in the first only, each answer by w / c), or the bare trace.
    func expectedPass(
        _ questions: [QuestionForTraining], weights: [[Double]], gml: Bool
    ) -> (sequences: [[Int32]], targetWeights: [[Float]]) {
        var sequences: [[Int32]] = []
        var targetWeights: [[Float]] = []
        for (question, questionWeights) in zip(questions, weights) {
            let prompt = question.promptTokens
            let promptZeros = [Float](repeating: 0, count: prompt.count - 1)
            for (trace, weight) in zip(question.traces, questionWeights.map(Float.init)) {
                let prefix = prompt + trace.traceTokens + trace.answerOpening
                let prefixWeights = { (value: Float) in
                    promptZeros + [Float](repeating: value, count: trace.traceTokens.count + trace.answerOpening.count)
                }
                if gml {
                    sequences.append(prefix + trace.referenceAnswer)
                    targetWeights.append(prefixWeights(weight) + trace.referenceAnswer.map { _ in weight })
                    continue
                }
                let correct = trace.answers.filter(\.isCorrect)
                if correct.isEmpty {
                    sequences.append(prompt + trace.traceTokens)
                    targetWeights.append(promptZeros + trace.traceTokens.map { _ in weight })
                }
                for (index, answer) in correct.enumerated() {
                    sequences.append(prefix + answer.tokenIDs)
                    let share = weight / Float(correct.count)
                    targetWeights.append(prefixWeights(index == 0 ? weight : 0) + answer.tokenIDs.map { _ in share })
                }
            }
        }
        return (sequences, targetWeights)
    }

    @Test("[E4] [E5] [E6] [E7] [E10] the learner's weights and gradient equal the objectives' and the model's own")
    func matchesIndependentComputation() throws {
        let questions = batch()
        let learnerModel = try Transformer(configuration: configuration, seed: 5)
        let referenceModel = try Transformer(configuration: configuration, seed: 5)
        learnerModel.zeroGradients()
        let result = try ModelPhaseStep.run(model: learnerModel, questions: questions, normalizer: 6)
        // The objectives module on log pi scored independently.
        for (index, evidence) in try evidence(questions, model: referenceModel, gml: false).enumerated() {
            let expected = try normalizedWeights(traces: evidence, estimator: .accuracy)
            #expect(result.weights[index].count == expected.weights.count)
            for (learner, reference) in zip(result.weights[index], expected.weights) {
                #expect(abs(learner - reference) < 1e-9)
            }
            #expect(abs(result.bounds[index] - (try multiTraceBound(traces: evidence, estimator: .accuracy))) < 1e-9)
        }
        // Acc's zero rule: the trace with no correct answer gets no weight; each question's weights sum to 1.
        #expect(result.weights[0][2] == 0)
        #expect(result.weights.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
        // The gradient equals the model's own weighted pass: the trace and its correct sampled answers, never the
        // reference answer ([E7]).
        let pass = expectedPass(questions, weights: result.weights, gml: false)
        referenceModel.zeroGradients()
        let reference = try referenceModel.train(pass.sequences, targetWeights: pass.targetWeights, normalizer: 6)
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
                question.traces.map { question.promptTokens + $0.traceTokens + $0.answerOpening + $0.referenceAnswer })
            return zip(question.traces, scored).map { trace, logProbs in
                let start = question.promptTokens.count - 1
                let end = start + trace.traceTokens.count
                let answer = end + trace.answerOpening.count
                return TraceEvidence(
                    logPiTrace: logProbs[start..<end].map(Double.init), logQTrace: trace.logQ.map(Double.init),
                    answer: gml
                        ? .referenceLogProbs(logProbs[answer..<(answer + trace.referenceAnswer.count)].map(Double.init))
                        : .sampled(correct: trace.correctAnswers, total: trace.answerCount))
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
        let pass = expectedPass(questions, weights: result.weights, gml: objective.estimator == .gml)
        referenceModel.zeroGradients()
        _ = try referenceModel.train(pass.sequences, targetWeights: pass.targetWeights, normalizer: 6)
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

    @Test("[E11] RFT: acc_k / K on each trace, its answer part averaged over its correct answers")
    func rejectionSamplingFineTuning() throws {
        var objective = ModelObjective()
        objective.method = .rft
        // Correct answers out of 4: [1, 3, 0] and [2, 2].
        #expect(try run(objective).weights == [[1.0 / 12, 3.0 / 12, 0], [2.0 / 8, 2.0 / 8]])
    }

    /// GRPO's pass built without the learner's code: [prompt; trace; opening; first answer] per trace, each trace and
    /// answer token weighted by A / K times its ratio to the behaviour policy unless clipped, plus the KL term.
    func expectedGRPOPass(
        _ questions: [QuestionForTraining], advantages: [[Double]], model: Transformer, reference: Transformer,
        clipRange: Double, klCoefficient: Double
    ) throws -> (sequences: [[Int32]], targetWeights: [[Float]]) {
        var sequences: [[Int32]] = []
        var targetWeights: [[Float]] = []
        for (question, questionAdvantages) in zip(questions, advantages) {
            let count = Double(question.traces.count)
            for (trace, advantage) in zip(question.traces, questionAdvantages) {
                let answer = trace.answers[0]
                let sequence = question.promptTokens + trace.traceTokens + trace.answerOpening + answer.tokenIDs
                let logPi = try model.score([sequence])[0].map(Double.init)
                let logReference = try reference.score([sequence])[0].map(Double.init)
                let behaviour =
                    Array(repeating: Double.nan, count: question.promptTokens.count - 1)
                    + trace.logQ.map(Double.init) + trace.answerOpening.map { _ in Double.nan }
                    + answer.behaviourLogProbs.map(Double.init)
                targetWeights.append(
                    behaviour.indices.map { target in
                        guard !behaviour[target].isNaN else { return 0 }
                        let ratio = exp(logPi[target] - behaviour[target])
                        let clipped = min(max(ratio, 1 - clipRange), 1 + clipRange)
                        let policy = ratio * advantage <= clipped * advantage ? ratio * advantage : 0
                        let kl = klCoefficient * (exp(logReference[target] - logPi[target]) - 1)
                        return Float((policy + kl) / count)
                    })
                sequences.append(sequence)
            }
        }
        return (sequences, targetWeights)
    }

    /// GRPO: each trace with its own first answer is a completion, with group-normalised advantages, PPO's clipped
    /// ratio against the behaviour log-probs, and the KL penalty to the reference model.
    @Test("[E12] GRPO: completions of trace and own answer, clipped ratio, KL penalty", arguments: [0.0, 0.1])
    func groupRelativePolicyOptimisation(klCoefficient: Double) throws {
        var objective = ModelObjective()
        objective.method = .grpo
        objective.surrogate = ClippedSurrogate(clipRange: 0.3, klCoefficient: klCoefficient)
        let questions = batch()
        let learnerModel = try Transformer(configuration: configuration, seed: 5)
        let referenceModel = try Transformer(configuration: configuration, seed: 6)
        learnerModel.zeroGradients()
        let result = try ModelPhaseStep.run(
            model: learnerModel, reference: referenceModel, questions: questions, normalizer: 6, objective: objective)
        // First answers right: [no, yes, no] and [yes, yes]. Rewards [0, 1, 0]: mean 1/3, std sqrt(2)/3, so
        // A = [-1, 2, -1] / sqrt(2), divided by K = 3; a group with equal rewards has none.
        let expected = [-1.0, 2, -1].map { $0 / 2.0.squareRoot() / 3 }
        #expect(zip(result.weights[0], expected).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(result.weights[1] == [0, 0])
        let advantages = [[-1.0, 2, -1].map { $0 / 2.0.squareRoot() }, [0, 0]]
        let checkModel = try Transformer(configuration: configuration, seed: 5)
        let pass = try expectedGRPOPass(
            questions, advantages: advantages, model: checkModel, reference: referenceModel, clipRange: 0.3,
            klCoefficient: klCoefficient)
        // The random behaviour log-probs put many ratios outside the clip range: the test covers both branches.
        checkModel.zeroGradients()
        _ = try checkModel.train(pass.sequences, targetWeights: pass.targetWeights, normalizer: 6)
        let worst = zip(learnerModel.gradients.array, checkModel.gradients.array).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-6)
        #expect(learnerModel.gradients.array.contains { $0 != 0 })
    }

    @Test("[E12] GRPO never trains the reference answer: a wrong completion pushes down its own answer")
    func grpoAnswerIsSampled() throws {
        var objective = ModelObjective()
        objective.method = .grpo
        var questions = [batch()[0]]
        // With the reference answer as every trace's answer, a different one in the answers changes the gradient.
        let model = try Transformer(configuration: configuration, seed: 5)
        model.zeroGradients()
        _ = try ModelPhaseStep.run(model: model, questions: questions, normalizer: 6, objective: objective)
        let gradient = model.gradients.array
        for index in questions[0].traces.indices { questions[0].traces[index].referenceAnswer = [1, 2, 3] }
        model.zeroGradients()
        _ = try ModelPhaseStep.run(model: model, questions: questions, normalizer: 6, objective: objective)
        #expect(model.gradients.array == gradient)
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
        var invalidAnswer = batch()
        invalidAnswer[0].traces[1].answers[0].behaviourLogProbs.removeLast()
        var grpo = ModelObjective()
        grpo.method = .grpo
        #expect(throws: LearnerStepError.self) {
            try ModelPhaseStep.run(model: model, questions: invalidAnswer, normalizer: 1, objective: grpo)
        }
        // GRPO's KL penalty needs the reference model.
        grpo.surrogate.klCoefficient = 0.1
        #expect(throws: LearnerStepError.self) {
            try ModelPhaseStep.run(model: model, questions: batch(), normalizer: 1, objective: grpo)
        }
        invalidCounts = batch()
        invalidCounts[0].traces[0].correctAnswers = -1
        #expect(throws: LearnerStepError.self) {
            try ModelPhaseStep.run(model: model, questions: invalidCounts, normalizer: 1)
        }
    }
}
