// The model phase's inputs: one question's prompt and its K traces, each with the answers that may follow it.
//
// Legend: P prompt tokens, T trace tokens (pi's end-of-thought marker included), O answer-opening tokens.

import VRWire

/// One sampled trace as the learner trains on it.
public struct TraceForTraining: Sendable, Equatable, Codable {
    /// The thinking trace z as pi reads it, ending with pi's end-of-thought marker (T tokens).
    public var traceTokens: [Int32]
    /// Per trace token, the log-probability under the proposal that sampled it (logQ, T values).
    ///
    /// When q closes its trace with another marker (posterior template A), that marker's log-probability is spread evenly over
    /// pi's marker tokens, so the sum, and with it the exact ratio [E5], is q's.
    public var logQ: [Float]
    /// The tokens that open the solution after the trace (O, `<|begin_of_solution|>`).
    public var answerOpening: [Int32]
    /// The reference answer after the opening: what GML scores and trains ([E6]).
    public var referenceAnswer: [Int32]
    /// The answers sampled after the trace, with their verdicts.
    ///
    /// Acc's answer part trains on the correct ones ([E7]), GRPO on the first as the trace's completion. Empty when
    /// only the counts are known.
    public var answers: [SampledAnswer]
    /// Sampled answers verified correct (Acc, [E6]).
    public var correctAnswers: Int
    /// Sampled answers.
    public var answerCount: Int

    /// Creates a trace.
    /// - Parameters:
    ///   - traceTokens: T trace tokens, end-of-thought marker included.
    ///   - logQ: T proposal log-probabilities.
    ///   - answerOpening: the solution's opening marker.
    ///   - referenceAnswer: the reference answer after the opening.
    ///   - answers: the sampled answers with verdicts.
    ///   - correctAnswers: verified-correct sampled answers.
    ///   - answerCount: sampled answers.
    public init(
        traceTokens: [Int32], logQ: [Float], answerOpening: [Int32] = [], referenceAnswer: [Int32] = [],
        answers: [SampledAnswer] = [], correctAnswers: Int, answerCount: Int
    ) {
        self.traceTokens = traceTokens
        self.logQ = logQ
        self.answerOpening = answerOpening
        self.referenceAnswer = referenceAnswer
        self.answers = answers
        self.correctAnswers = correctAnswers
        self.answerCount = answerCount
    }

    /// Acc: the fraction of the sampled answers verified correct ([E6]).
    public var accuracy: Double { Double(correctAnswers) / Double(max(answerCount, 1)) }
}

/// One question's prompt and its K traces.
public struct QuestionForTraining: Sendable, Equatable, Codable {
    /// The question's id in the training dataset.
    public var questionID: String
    /// The reasoning prompt's tokens (P, at least 1).
    public var promptTokens: [Int32]
    /// The K traces.
    public var traces: [TraceForTraining]

    /// Creates a question.
    /// - Parameters:
    ///   - questionID: the question's id.
    ///   - promptTokens: the prompt.
    ///   - traces: its traces.
    public init(questionID: String, promptTokens: [Int32], traces: [TraceForTraining]) {
        self.questionID = questionID
        self.promptTokens = promptTokens
        self.traces = traces
    }
}
