// How a worker samples traces and scores them, with the defaults the demo uses.

import VRCore
import VRModel

/// Sampling and scoring settings of a worker (the paper: traces at temperature 0.7, Acc with n answers [E6]).
public struct RolloutOptions: Codable, Sendable, Equatable {
    /// Temperature of trace sampling (q in the model phase, pi in the posterior phase).
    public var traceTemperature: Float = 0.7
    /// Top-p of trace sampling.
    public var traceTopP: Float = 1
    /// The most tokens a trace may have; longer ones are cut and marked truncated.
    public var maxTraceTokens: Int = 48
    /// Answers sampled from pi per trace for the Acc estimate ([E6]).
    public var answersPerTrace: Int = 4
    /// Temperature of answer sampling.
    public var answerTemperature: Float = 1
    /// The most tokens an answer may have.
    public var maxAnswerTokens: Int = 24

    /// The defaults above.
    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case traceTemperature, traceTopP, maxTraceTokens, answersPerTrace, answerTemperature, maxAnswerTokens
    }

    /// Reads options: missing keys take the defaults above, unknown keys are errors.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the first unknown key or mistyped value.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        traceTemperature = try container.decode(.traceTemperature, default: traceTemperature)
        traceTopP = try container.decode(.traceTopP, default: traceTopP)
        maxTraceTokens = try container.decode(.maxTraceTokens, default: maxTraceTokens)
        answersPerTrace = try container.decode(.answersPerTrace, default: answersPerTrace)
        answerTemperature = try container.decode(.answerTemperature, default: answerTemperature)
        maxAnswerTokens = try container.decode(.maxAnswerTokens, default: maxAnswerTokens)
    }

    /// Checks the ranges.
    /// - Throws: `WorkerError.invalidConfiguration` naming the first bad field.
    public func validate() throws(WorkerError) {
        for (name, value) in [("traceTemperature", traceTemperature), ("answerTemperature", answerTemperature)] {
            guard value >= 0, value.isFinite else {
                throw .invalidConfiguration("\(name) must be finite and non-negative, got \(value)")
            }
        }
        guard traceTopP > 0, traceTopP <= 1 else {
            throw .invalidConfiguration("traceTopP must be in (0, 1], got \(traceTopP)")
        }
        for (name, value) in [
            ("maxTraceTokens", maxTraceTokens), ("answersPerTrace", answersPerTrace),
            ("maxAnswerTokens", maxAnswerTokens),
        ] {
            guard value >= 1 else { throw .invalidConfiguration("\(name) must be at least 1, got \(value)") }
        }
    }

    /// Trace sampling options with `stop` as the stop sequence.
    func traceSampling(stop: [Int32], seed: UInt64) -> SamplingOptions {
        SamplingOptions(
            temperature: traceTemperature, topP: traceTopP, maxNewTokens: maxTraceTokens, stopSequences: [stop],
            seed: seed)
    }

    /// Answer sampling options with `stop` as the stop sequence.
    func answerSampling(stop: [Int32], seed: UInt64) -> SamplingOptions {
        SamplingOptions(
            temperature: answerTemperature, maxNewTokens: maxAnswerTokens, stopSequences: [stop], seed: seed)
    }
}
