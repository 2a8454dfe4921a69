import Foundation
import Testing
import VRModel
import VRRecords
import VRTasks
import VRTensor
import VRText

@testable import VRLearner

/// A step whose loss or gradient is not finite is skipped: nothing about the models or optimizers changes, and
/// the metrics line records it.
@Suite("non-finite steps")
struct NonFiniteStepTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 32, vocabularySize: ByteTokenizer.vocabularySize)

    func trainer() throws -> LearnerTrainer {
        let dataset = try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)], countPerConfiguration: 4,
            split: .train)
        let models = ModelPair(
            reasoning: try Transformer(configuration: configuration, seed: 1),
            posterior: try Transformer(configuration: configuration, seed: 2))
        return try LearnerTrainer(models: models, configuration: LearnerConfiguration(), dataset: dataset)
    }

    func questions() -> [QuestionForTraining] {
        [
            QuestionForTraining(
                questionID: "q", promptTokens: [10, 11, 12],
                traces: [
                    TraceForTraining(
                        traceTokens: [20, 21], logQ: [-1, -2], referenceAnswer: [30], correctAnswers: 1, answerCount: 2),
                    TraceForTraining(
                        traceTokens: [22], logQ: [-1.5], referenceAnswer: [31], correctAnswers: 2, answerCount: 2),
                ])
        ]
    }

    /// The bit patterns of a buffer, so that NaN compares equal to itself.
    func bits(_ buffer: FloatBuffer) -> [UInt32] { buffer.array.map(\.bitPattern) }

    @Test("a NaN parameter makes pi's log-probs NaN: the step is refused, parameters and moments stay as they were")
    func nonFiniteLogProbsAreRefused() throws {
        let trainer = try trainer()
        let pi = trainer.models.reasoning
        pi.parameters[pi.layout.parameterCount / 2] = .nan
        let before = bits(pi.parameters)
        #expect(throws: LearnerStepError.self) { try trainer.modelStep(questions()) }
        #expect(bits(pi.parameters) == before)
        #expect(trainer.reasoningOptimizer.stepCount == 0)
    }

    @Test(
        "an infinite gradient is not applied: parameters and moments stay as they were",
        arguments: [
            Float.infinity, -.infinity, .nan,
        ])
    func nonFiniteGradientIsNotApplied(value: Float) throws {
        let trainer = try trainer()
        let pi = trainer.models.reasoning
        for index in 0..<pi.layout.parameterCount { pi.gradients[index] = 1e-3 }
        pi.gradients[7] = value
        let parameters = bits(pi.parameters)
        let moments = bits(trainer.reasoningOptimizer.firstMoment)
        let update = trainer.reasoningOptimizer.update(pi, loss: 1.5, learningRate: 1e-3, maxGradientNorm: 1)
        #expect(!update.applied && !update.gradientNorm.isFinite)
        #expect(bits(pi.parameters) == parameters)
        #expect(bits(trainer.reasoningOptimizer.firstMoment) == moments)
        #expect(trainer.reasoningOptimizer.stepCount == 0)
    }

    @Test("a non-finite loss is not applied, even with finite gradients")
    func nonFiniteLossIsNotApplied() throws {
        let trainer = try trainer()
        let pi = trainer.models.reasoning
        for index in 0..<pi.layout.parameterCount { pi.gradients[index] = 1e-3 }
        let parameters = bits(pi.parameters)
        let update = trainer.reasoningOptimizer.update(pi, loss: .nan, learningRate: 1e-3, maxGradientNorm: 1)
        #expect(!update.applied)
        #expect(bits(pi.parameters) == parameters)
        #expect(trainer.reasoningOptimizer.stepCount == 0)
    }

    @Test("control: the same step on a clean model is applied and changes the parameters")
    func finiteStepIsApplied() throws {
        let trainer = try trainer()
        let before = bits(trainer.models.reasoning.parameters)
        let outcome = try trainer.modelStep(questions())
        #expect(outcome.applied && outcome.loss.isFinite)
        #expect(bits(trainer.models.reasoning.parameters) != before)
        #expect(trainer.reasoningOptimizer.stepCount == 1)
    }

    @Test("a skipped step's metrics line keeps its NaN loss and reads back")
    func metricsLineRoundTrips() throws {
        let metrics = StepMetrics(
            step: 3, phase: .model, parameterVersion: 4, loss: .nan, gradientNorm: .infinity, learningRate: 1e-3,
            bound: nil, effectiveSampleSize: nil, zeroWeightQuestions: 0, questions: 1, traces: 2, meanAccuracy: 0.5,
            meanTraceTokens: 2, meanLag: 0, maxLag: 0, tokens: 9, stepSeconds: 0.1, tokensPerSecond: 90,
            rolloutsPerSecond: 1, sampledTraceTokens: 3, elapsedSeconds: 5, staleBatches: 0, duplicateBatches: 0,
            rejectedBatches: 0, lostWorkers: 0, applied: false, skippedSteps: 1, rejections: ["too_large": 2])
        let line = try StepMetrics.encoder.encode(metrics)
        #expect(String(decoding: line, as: UTF8.self).contains(#""loss":"nan""#))
        let decoded = try StepMetrics.decoder.decode(StepMetrics.self, from: line)
        #expect(decoded.loss.isNaN && decoded.gradientNorm == .infinity)
        #expect(decoded.applied == false && decoded.skippedSteps == 1 && decoded.rejections == ["too_large": 2])
    }

    @Test("a step's metrics survive the structured log: log fields and back, non-finite and nested values too")
    func logFieldsRoundTrip() throws {
        let metrics = StepMetrics(
            step: 3, phase: .model, parameterVersion: 4, loss: .nan, gradientNorm: 0.1 + 0.2, learningRate: 1e-3,
            bound: -.infinity, effectiveSampleSize: nil, zeroWeightQuestions: 0, questions: 1, traces: 2,
            meanAccuracy: 1.0 / 3, meanTraceTokens: 2, meanLag: 0, maxLag: 0, tokens: 9, stepSeconds: 0.1,
            tokensPerSecond: 90, rolloutsPerSecond: 1, sampledTraceTokens: 3, elapsedSeconds: 5, staleBatches: 0,
            duplicateBatches: 0, rejectedBatches: 2, lostWorkers: 0, applied: false, skippedSteps: 1,
            rejections: ["too_large": 2])
        let fields = metrics.logFields
        #expect(fields["phase"] == "model" && fields["applied"] == "false" && fields["loss"] == "nan")
        var logLine = fields
        logLine["event"] = "step"
        logLine["message"] = "step"
        var decoded = try StepMetrics(logFields: logLine)
        #expect(decoded.loss.isNaN && decoded.bound == -.infinity)
        var expected = metrics
        (expected.loss, decoded.loss) = (0, 0)  // NaN equals nothing
        #expect(decoded == expected)
        #expect(decoded.gradientNorm == 0.1 + 0.2 && decoded.meanAccuracy == 1.0 / 3)
        #expect(
            decoded.rejections == ["too_large": 2] && decoded.applied == false && decoded.effectiveSampleSize == nil)
        var missing = fields
        missing["step"] = nil
        #expect(throws: DecodingError.self) { try StepMetrics(logFields: missing) }
    }
}
