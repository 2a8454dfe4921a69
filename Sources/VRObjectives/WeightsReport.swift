// A whole batch of questions in, weights, bound and ESS out: the math of [E3]-[E6] checkable from outside.

/// The input of `vr weights`: questions with their traces' per-token log-probs and answer evidence.
///
/// JSON layout (log-probs may be the strings "-inf"/"inf"/"nan"; the last two are rejected with an error):
/// ```
/// { "estimator": "accuracy" | "geometricMeanLikelihood" | "likelihood",      (default accuracy)
///   "normalization": "perToken" | "exact",                                     (default perToken, [E5])
///   "questions": [ { "id": "q1",
///                    "traces": [ { "logPi": [..], "logQ": [..],
///                                  "correct": 3, "total": 8,                   (Acc)
///                                  "answerLogProbs": [..] } ] } ] }            (GML, L)
/// ```
public struct WeightsRequest: Codable, Sendable, Equatable {
    /// One trace's scores.
    public struct Trace: Codable, Sendable, Equatable {
        /// Per-token log pi(z_t | x, z_<t) under the reasoning model.
        public var logPi: [Double]
        /// Per-token log q(z_t | x, y', z_<t) under the proposal that sampled the trace.
        public var logQ: [Double]
        /// Sampled answers verified correct (Acc).
        public var correct: Int?
        /// Sampled answers (Acc).
        public var total: Int?
        /// Per-token log-probs of the reference answer given x and the trace (GML, L).
        public var answerLogProbs: [Double]?

        /// Creates a trace entry.
        /// - Parameters:
        ///   - logPi: per-token log-probs under pi.
        ///   - logQ: per-token log-probs under q.
        ///   - correct: sampled answers verified correct (Acc).
        ///   - total: sampled answers (Acc).
        ///   - answerLogProbs: reference-answer log-probs (GML, L).
        public init(logPi: [Double], logQ: [Double], correct: Int?, total: Int?, answerLogProbs: [Double]?) {
            self.logPi = logPi
            self.logQ = logQ
            self.correct = correct
            self.total = total
            self.answerLogProbs = answerLogProbs
        }

        private enum CodingKeys: String, CodingKey {
            case logPi, logQ, correct, total, answerLogProbs
        }

        /// Reads a trace; a count that is not a whole number is named as such (JSON has one number type).
        /// - Parameter decoder: the decoder.
        /// - Throws: `DecodingError` naming the field.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func count(_ key: CodingKeys) throws -> Int? {
                guard let value = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
                guard value.rounded() == value, let whole = Int(exactly: value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "\(value) is not an integer")
                }
                return whole
            }
            self.init(
                logPi: try container.decode([Double].self, forKey: .logPi),
                logQ: try container.decode([Double].self, forKey: .logQ), correct: try count(.correct),
                total: try count(.total),
                answerLogProbs: try container.decodeIfPresent([Double].self, forKey: .answerLogProbs))
        }
    }

    /// One question's traces.
    public struct Question: Codable, Sendable, Equatable {
        /// A caller's name for the question, echoed in the report.
        public var id: String?
        /// The K traces.
        public var traces: [Trace]

        /// Creates a question entry.
        /// - Parameters:
        ///   - id: the caller's name for it.
        ///   - traces: its traces.
        public init(id: String?, traces: [Trace]) {
            self.id = id
            self.traces = traces
        }
    }

    /// How pi(Y|x,z) is estimated ([E6]); `accuracy` when absent.
    public var estimator: String?
    /// How the trace ratio enters ([E5]); `perToken` when absent.
    public var normalization: String?
    /// The questions.
    public var questions: [Question]

    /// Creates a request.
    /// - Parameters:
    ///   - estimator: the estimator's name, or nil for accuracy.
    ///   - normalization: the normalisation's name, or nil for per-token.
    ///   - questions: the questions.
    public init(estimator: String?, normalization: String?, questions: [Question]) {
        self.estimator = estimator
        self.normalization = normalization
        self.questions = questions
    }
}

/// The output of `vr weights`: per question, the log weights, normalised weights, bound and ESS.
public struct WeightsReport: Codable, Sendable, Equatable {
    /// One question's results.
    public struct Question: Codable, Sendable, Equatable {
        /// The request's id, or the question's index as text.
        public var id: String
        /// `log rho_k` as used for the weights ([E5], [E6]).
        public var logWeights: [Double]
        /// `rhoTilde_k` ([E4]): sums to 1, or all zero when no trace is usable.
        public var weights: [Double]
        /// The multi-trace bound estimate with the exact ratio ([E3]).
        public var bound: Double
        /// The effective sample size of the weights, in [1, K] (0 when no trace is usable).
        public var effectiveSampleSize: Double
        /// Traces with positive weight.
        public var usableCount: Int
    }

    /// The estimator used.
    public var estimator: String
    /// The normalisation used.
    public var normalization: String
    /// One entry per question, in request order.
    public var questions: [Question]
}

/// Computes weights, bound and ESS for every question of `request` ([E3]-[E6]).
/// - Parameter request: the questions and their evidence.
/// - Returns: the report.
/// - Throws: `ObjectiveError` naming the question, trace and token of the first invalid value, or
///   `.invalidParameter` for an unknown estimator or normalisation or a trace without the evidence the
///   estimator needs.
public func weightsReport(for request: WeightsRequest) throws(ObjectiveError) -> WeightsReport {
    let estimatorName = request.estimator ?? Estimator.accuracy.rawValue
    guard let estimator = Estimator(rawValue: estimatorName) else {
        let known = Estimator.allCases.map(\.rawValue).joined(separator: ", ")
        throw .invalidParameter("unknown estimator \"\(estimatorName)\"; expected one of \(known)")
    }
    let normalizationName = request.normalization ?? TraceNormalization.perToken.rawValue
    guard let normalization = TraceNormalization(rawValue: normalizationName) else {
        throw .invalidParameter("unknown normalization \"\(normalizationName)\"; expected perToken or exact")
    }
    var questions: [WeightsReport.Question] = []
    for (index, question) in request.questions.enumerated() {
        do {
            let traces = try question.traces.enumerated().map { (trace, input) throws(ObjectiveError) in
                try evidence(input, estimator: estimator, question: index, trace: trace)
            }
            let logWeights = try logImportanceWeights(traces, estimator: estimator, normalization: normalization)
            let normalized = normalizedWeights(logWeights: logWeights)
            questions.append(
                WeightsReport.Question(
                    id: question.id ?? String(index), logWeights: logWeights, weights: normalized.weights,
                    bound: try multiTraceBound(traces: traces, estimator: estimator),
                    effectiveSampleSize: normalized.diagnostics.effectiveSampleSize,
                    usableCount: normalized.diagnostics.usableCount))
        } catch {
            throw error.inQuestion(index)
        }
    }
    return WeightsReport(estimator: estimator.rawValue, normalization: normalization.rawValue, questions: questions)
}

/// The evidence of one input trace, with the answer part the estimator needs.
private func evidence(
    _ input: WeightsRequest.Trace, estimator: Estimator, question: Int, trace: Int
)
    throws(ObjectiveError) -> TraceEvidence
{
    let answer: AnswerEvidence
    switch estimator {
    case .accuracy:
        guard let correct = input.correct, let total = input.total else {
            throw .invalidParameter(
                "question \(question) trace \(trace): the accuracy estimator needs correct and total")
        }
        answer = .sampled(correct: correct, total: total)
    case .geometricMeanLikelihood, .likelihood:
        guard let logProbs = input.answerLogProbs else {
            throw .invalidParameter("question \(question) trace \(trace): \(estimator.rawValue) needs answerLogProbs")
        }
        answer = .referenceLogProbs(logProbs)
    }
    return TraceEvidence(logPiTrace: input.logPi, logQTrace: input.logQ, answer: answer)
}
