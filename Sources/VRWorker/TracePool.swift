// A question's sampled traces scored once with pi0: the input of every offline data set (K, estimator, selection),
// so that the offline arms of an experiment share one round of sampling.

/// One sampled trace with everything the offline weights need ([E4]-[E6], [E11]).
public struct PooledTrace: Codable, Sendable, Equatable {
    /// Whether the trace can be chosen.
    ///
    /// A usable trace finished with its marker, within the length cap, and fits behind pi's reasoning prompt. An
    /// unusable trace keeps its place (the K-th sampled) with empty log-probs.
    public var isUsable: Bool
    /// The thought's text, without its closing marker; empty when unusable.
    public var thought: String
    /// log q of the thought's tokens and pi's closing marker, as sampled (untempered) [E5].
    public var logQ: [Double]
    /// log pi0 of the same tokens by teacher forcing [E5].
    public var logPi: [Double]
    /// log pi0 of the reference answer's tokens after the closed thought and the opened solution (GML) [E6].
    public var logPiReference: [Double]
    /// Answers sampled from pi0 after the trace (Acc) [E6].
    public var sampledAnswers: Int
    /// How many of them the verifier accepted.
    public var correctAnswers: Int
    /// Tokens sampled for the trace and its answers.
    public var sampledTokens: Int

    /// A pooled trace.
    /// - Parameters:
    ///   - isUsable: whether it can be chosen.
    ///   - thought: the thought's text.
    ///   - logQ: log q of the thought and closing marker.
    ///   - logPi: log pi0 of the same tokens.
    ///   - logPiReference: log pi0 of the reference answer after the trace.
    ///   - sampledAnswers: answers sampled after it.
    ///   - correctAnswers: how many were correct.
    ///   - sampledTokens: tokens sampled for it and its answers.
    public init(
        isUsable: Bool, thought: String, logQ: [Double], logPi: [Double], logPiReference: [Double],
        sampledAnswers: Int, correctAnswers: Int, sampledTokens: Int
    ) {
        self.isUsable = isUsable
        self.thought = thought
        self.logQ = logQ
        self.logPi = logPi
        self.logPiReference = logPiReference
        self.sampledAnswers = sampledAnswers
        self.correctAnswers = correctAnswers
        self.sampledTokens = sampledTokens
    }

    /// An unusable trace: cut off, over the cap or too long for pi's context; only its cost counts.
    /// - Parameters:
    ///   - sampledAnswers: answers sampled after it.
    ///   - correctAnswers: how many were correct.
    ///   - sampledTokens: tokens sampled for it and its answers.
    /// - Returns: the trace, with empty log-probs.
    public static func unusable(sampledAnswers: Int, correctAnswers: Int, sampledTokens: Int) -> PooledTrace {
        PooledTrace(
            isUsable: false, thought: "", logQ: [], logPi: [], logPiReference: [], sampledAnswers: sampledAnswers,
            correctAnswers: correctAnswers, sampledTokens: sampledTokens)
    }
}

/// One question's traces in sampling order.
public struct PooledQuestion: Codable, Sendable, Equatable {
    /// The question's id in the task file.
    public var questionID: String
    /// Its traces, in the order they were sampled.
    public var traces: [PooledTrace]

    /// A pooled question.
    /// - Parameters:
    ///   - questionID: the question's id.
    ///   - traces: its traces in sampling order.
    public init(questionID: String, traces: [PooledTrace]) {
        self.questionID = questionID
        self.traces = traces
    }

    /// The first `count` traces (all when nil), as if only they had been sampled.
    /// - Parameter count: K.
    /// - Returns: the question with those traces.
    public func prefix(_ count: Int?) -> PooledQuestion {
        PooledQuestion(questionID: questionID, traces: Array(traces.prefix(count ?? traces.count)))
    }
}

extension PooledQuestion {
    /// What makes this question unfit for `expected` with `traceCount` traces, or nil.
    /// - Parameters:
    ///   - expected: the id the question must have.
    ///   - traceCount: the traces it must have.
    /// - Returns: the problem, naming the trace, or nil.
    public func problem(questionID expected: String, traceCount: Int) -> String? {
        guard questionID == expected else { return "question \"\(questionID)\" where \"\(expected)\" was expected" }
        guard traces.count == traceCount else { return "\(traces.count) traces, expected \(traceCount)" }
        for (index, trace) in traces.enumerated() {
            guard trace.sampledAnswers >= 0, (0...trace.sampledAnswers).contains(trace.correctAnswers),
                trace.sampledTokens >= 0
            else { return "trace \(index + 1): counts out of range" }
            guard trace.isUsable else { continue }
            guard !trace.logQ.isEmpty, trace.logQ.count == trace.logPi.count, !trace.logPiReference.isEmpty else {
                return "trace \(index + 1): logQ and logPi must have one value per token, logPiReference at least one"
            }
        }
        return nil
    }
}
