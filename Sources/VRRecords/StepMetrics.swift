// One line of the learner's metrics file: what an optimizer step did and how the run is going.

import Foundation
import VRCore

/// The metrics of one optimizer step, written as a JSON line (`metrics.jsonl` in the run directory).
///
/// Values that are not finite (a bound of a question whose traces all failed) are left out of the means; a mean
/// over nothing is null.
public struct StepMetrics: Codable, Sendable, Equatable {
    /// Steps finished so far, both phases (1 for the first).
    public var step: Int
    /// The phase the step trained: `model` (pi) or `posterior` (q).
    public var phase: RolloutPhase
    /// The parameter version after the step.
    public var parameterVersion: UInt64
    /// The weighted loss ([E10]).
    public var loss: Double
    /// The gradient norm before clipping.
    public var gradientNorm: Double
    /// The learning rate used.
    public var learningRate: Float
    /// Model phase: the mean multi-trace bound estimate over questions ([E3]).
    public var bound: Double?
    /// Model phase: the mean effective sample size of the weights over questions with any nonzero weight.
    public var effectiveSampleSize: Double?
    /// Questions whose traces all had zero weight (no verified answer), which therefore teach nothing.
    public var zeroWeightQuestions: Int
    /// Questions in the step.
    public var questions: Int
    /// Traces in the step.
    public var traces: Int
    /// Mean sampled-answer accuracy over the step's traces ([E6]).
    public var meanAccuracy: Double
    /// The mean length of the step's traces in tokens (a posterior that collapses writes ever shorter ones);
    /// nil in metrics files that do not record it.
    public var meanTraceTokens: Double?
    /// Mean lag of the step's batches: the version the step trains minus their sampling version, so the time a
    /// batch waited for the step counts.
    public var meanLag: Double
    /// The largest lag among them.
    public var maxLag: UInt64
    /// Tokens in the forward and backward pass.
    public var tokens: Int
    /// Seconds the step's forward, backward and update took.
    public var stepSeconds: Double
    /// Training tokens per second of the step.
    public var tokensPerSecond: Double
    /// Traces received per second since the previous step (the workers' throughput).
    public var rolloutsPerSecond: Double
    /// Trace tokens in the batches accepted since the previous step (the answers that scored them are in
    /// `sampledAnswerTokens`).
    public var sampledTraceTokens: Int
    /// Tokens of the answers sampled after those traces to score them; nil in metrics files that do not record it.
    public var sampledAnswerTokens: Int?
    /// Of the traces accepted since the previous step, those the length limit cut off before their end marker:
    /// they get no weight; nil in metrics files that do not record it.
    public var truncatedTraces: Int?
    /// And those whose sequence would not fit the model's context, left out too; nil in metrics files that do
    /// not record it.
    public var overlongTraces: Int?
    /// Seconds since the learner started.
    public var elapsedSeconds: Double
    /// Batches dropped as stale so far.
    public var staleBatches: Int
    /// Batches dropped as duplicates so far.
    public var duplicateBatches: Int
    /// Batches refused so far.
    public var rejectedBatches: Int
    /// Workers lost so far.
    public var lostWorkers: Int
    /// Whether the update was applied: false when the loss or the gradient norm was not finite, which leaves the
    /// parameters unchanged; nil in metrics files that do not record it.
    public var applied: Bool?
    /// Steps skipped so far with the parameters unchanged (refused on their inputs, or a non-finite loss or
    /// gradient norm); nil in metrics files that do not record it.
    public var skippedSteps: Int?
    /// Messages refused so far, by error code label (`malformed_frame`, `inconsistent_batch`, ...); nil in
    /// metrics files that do not record it.
    public var rejections: [String: Int]?

    /// Creates a step's metrics; each parameter is the property of the same name (optional ones default to nil).
    public init(
        step: Int, phase: RolloutPhase, parameterVersion: UInt64, loss: Double, gradientNorm: Double,
        learningRate: Float,
        bound: Double? = nil, effectiveSampleSize: Double? = nil, zeroWeightQuestions: Int, questions: Int, traces: Int,
        meanAccuracy: Double, meanTraceTokens: Double? = nil, meanLag: Double, maxLag: UInt64, tokens: Int,
        stepSeconds: Double, tokensPerSecond: Double, rolloutsPerSecond: Double, sampledTraceTokens: Int,
        sampledAnswerTokens: Int? = nil, truncatedTraces: Int? = nil, overlongTraces: Int? = nil,
        elapsedSeconds: Double, staleBatches: Int,
        duplicateBatches: Int, rejectedBatches: Int, lostWorkers: Int, applied: Bool? = nil, skippedSteps: Int? = nil,
        rejections: [String: Int]? = nil
    ) {
        self.step = step
        self.phase = phase
        self.parameterVersion = parameterVersion
        self.loss = loss
        self.gradientNorm = gradientNorm
        self.learningRate = learningRate
        self.bound = bound
        self.effectiveSampleSize = effectiveSampleSize
        self.zeroWeightQuestions = zeroWeightQuestions
        self.questions = questions
        self.traces = traces
        self.meanAccuracy = meanAccuracy
        self.meanTraceTokens = meanTraceTokens
        self.meanLag = meanLag
        self.maxLag = maxLag
        self.tokens = tokens
        self.stepSeconds = stepSeconds
        self.tokensPerSecond = tokensPerSecond
        self.rolloutsPerSecond = rolloutsPerSecond
        self.sampledTraceTokens = sampledTraceTokens
        self.sampledAnswerTokens = sampledAnswerTokens
        self.truncatedTraces = truncatedTraces
        self.overlongTraces = overlongTraces
        self.elapsedSeconds = elapsedSeconds
        self.staleBatches = staleBatches
        self.duplicateBatches = duplicateBatches
        self.rejectedBatches = rejectedBatches
        self.lostWorkers = lostWorkers
        self.applied = applied
        self.skippedSteps = skippedSteps
        self.rejections = rejections
    }

    /// The encoder of metrics lines: sorted keys, and a non-finite loss or norm (a skipped step) written as the
    /// strings "nan", "inf" and "-inf", which ``decoder`` reads back.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder of metrics lines written by ``encoder``.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

extension Double {
    /// The mean of the finite values, or nil when there are none.
    public static func finiteMean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }
}
