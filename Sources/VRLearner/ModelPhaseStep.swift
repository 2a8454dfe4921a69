// One model-phase training pass: log pi from the learner's own forward pass, multi-trace weights, weighted backward.
//
// Legend: P prompt tokens, T trace tokens, A answer tokens of one trace; K traces per question.
// ARCHITECTURE.md, learner data flow: forward pi over [prompt; trace; answer] -> logPi per token;
// log rho_k = log acc_k + mean_t(logPi - logQ) [E5, E6]; rhoTilde = softmax over k [E4] (or the best trace, or
// the RFT/GRPO weights [E11, E12] of `ModelObjective`); backward with target weights w_k on trace and answer
// tokens, divided by C [E10].

import VRModel
import VRObjectives

/// One sampled trace as the learner trains on it.
public struct TraceForTraining: Sendable, Equatable {
    /// The thinking trace's tokens (T).
    public var traceTokens: [Int32]
    /// The answer's tokens (A), such as the reference solution with its end markers.
    public var answerTokens: [Int32]
    /// Per trace token, the log-probability under the proposal that sampled it (logQ, T values).
    public var logQ: [Float]
    /// Sampled answers verified correct (Acc, [E6]).
    public var correctAnswers: Int
    /// Sampled answers.
    public var sampledAnswers: Int

    /// Creates a trace.
    /// - Parameters:
    ///   - traceTokens: T trace tokens.
    ///   - answerTokens: A answer tokens.
    ///   - logQ: T proposal log-probabilities.
    ///   - correctAnswers: verified-correct sampled answers.
    ///   - sampledAnswers: sampled answers.
    public init(traceTokens: [Int32], answerTokens: [Int32], logQ: [Float], correctAnswers: Int, sampledAnswers: Int) {
        self.traceTokens = traceTokens
        self.answerTokens = answerTokens
        self.logQ = logQ
        self.correctAnswers = correctAnswers
        self.sampledAnswers = sampledAnswers
    }
}

/// One question's prompt and its K traces.
public struct QuestionForTraining: Sendable, Equatable {
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

/// What a model-phase pass computed, per question and in total.
public struct ModelPhaseResult: Sendable, Equatable {
    /// The weight per question and trace: rhoTilde ([E4]) for the variational method, else the objective's.
    public var weights: [[Double]]
    /// The multi-trace bound estimate per question, with the exact trace ratio ([E3]).
    public var bounds: [Double]
    /// The effective sample size per question, of the weights' magnitudes (GRPO's can be negative).
    public var effectiveSampleSizes: [Double]
    /// The weighted loss of the backward pass ([E10]).
    public var loss: Double
}

/// The model phase of [E9] for one batch: weights from the learner's own log pi, then a weighted backward.
public enum ModelPhaseStep {
    /// Runs forward, weights and backward for `questions`, accumulating into `model.gradients`.
    ///
    /// The sampling log-probabilities travel with the traces and log pi comes from this forward pass, so the
    /// self-normalised weights stay valid however stale the sampler was (ARCHITECTURE.md, staleness).
    /// - Parameters:
    ///   - model: pi, trained in place (gradients accumulate; the caller steps the optimizer).
    ///   - questions: the batch.
    ///   - normalizer: the Dr. SFT constant C times the number of questions ([E10]).
    ///   - normalization: how the trace ratio enters ([E5]).
    ///   - objective: the weighting; the variational method with Acc and all traces weighted by default.
    /// - Returns: weights, bounds, ESS and the loss.
    /// - Throws: `LearnerStepError` for malformed traces, the model's or the objectives' errors.
    public static func run(
        model: Transformer, questions: [QuestionForTraining], normalizer: Float,
        normalization: TraceNormalization = .perToken, objective: ModelObjective = ModelObjective()
    ) throws(LearnerStepError) -> ModelPhaseResult {
        // 1. one forward pass over every [prompt; trace; answer]
        let sequences = questions.flatMap { question in
            question.traces.map { question.promptTokens + $0.traceTokens + $0.answerTokens }
        }
        let logProbs: [[Float]]
        do { logProbs = try model.forward(sequences) } catch { throw .model(error) }
        // 2. weights per question: [E4]-[E6] for the method, [E11]-[E12] for the baselines
        var result = ModelPhaseResult(weights: [], bounds: [], effectiveSampleSizes: [], loss: 0)
        var targetWeights: [[Float]] = []
        var row = 0
        for (questionIndex, question) in questions.enumerated() {
            let evidence = try question.traces.map { trace throws(LearnerStepError) in
                defer { row += 1 }
                return try Self.evidence(
                    trace, promptCount: question.promptTokens.count, logProbs: logProbs[row],
                    estimator: objective.estimator)
            }
            do {
                let weights = try Self.weights(
                    evidence, traces: question.traces, objective: objective, normalization: normalization)
                result.weights.append(weights)
                result.effectiveSampleSizes.append(effectiveSampleSize(weights: weights.map(abs)))
                result.bounds.append(try multiTraceBound(traces: evidence, estimator: objective.estimator.estimator))
                // 3. target weights: the trace's weight on its trace and answer predictions [E4], [E10]
                for (trace, weight) in zip(question.traces, weights) {
                    let layout = try TargetWeightLayout(
                        promptTokenCount: question.promptTokens.count, traceTokenCount: trace.traceTokens.count,
                        answerTokenCount: trace.answerTokens.count)
                    targetWeights.append(try layout.targetWeights(traceWeight: weight))
                }
            } catch {
                throw .objectives(error.inQuestion(questionIndex))
            }
        }
        // 4. weighted backward
        do {
            result.loss = try model.backward(targetWeights: targetWeights, normalizer: normalizer).loss
        } catch {
            throw .model(error)
        }
        return result
    }

    /// One question's trace weights under `objective`.
    ///
    /// ```
    /// variational, weighted:  rhoTilde_k = softmax_k log rho_k                 [E4]-[E6]
    /// variational, best:      1 for the first argmax_k log rho_k, else 0 (all 0 without a usable trace)
    /// rft:                    1{correct_k} / K                                  [E11]
    /// grpo:                   (r_k - mean r) / (std r + eps) / K                [E12]
    /// ```
    private static func weights(
        _ evidence: [TraceEvidence], traces: [TraceForTraining], objective: ModelObjective,
        normalization: TraceNormalization
    ) throws(ObjectiveError) -> [Double] {
        let correct = traces.map {
            ModelObjective.isCorrect(correctAnswers: $0.correctAnswers, sampledAnswers: $0.sampledAnswers)
        }
        switch (objective.method, objective.selection) {
        case (.variational, .weighted):
            return try normalizedWeights(
                traces: evidence, estimator: objective.estimator.estimator, normalization: normalization
            ).weights
        case (.variational, .best):
            let selection = try selectTraces(
                evidence, estimator: objective.estimator.estimator, mode: .bestTrace, normalization: normalization)
            guard case .best(let best, _) = selection.choice else { return Array(repeating: 0, count: traces.count) }
            return traces.indices.map { $0 == best ? 1 : 0 }
        case (.rft, _):
            return rftWeights(correct: correct)
        case (.grpo, _):
            return try grpoWeights(correct: correct)
        }
    }

    /// The objectives' view of one trace: log pi of its tokens from the forward pass, log q, and the answer
    /// evidence: Acc counts, or for GML log pi of the reference answer's tokens from the same forward pass.
    private static func evidence(
        _ trace: TraceForTraining, promptCount: Int, logProbs: [Float], estimator: ModelObjective.AnswerEstimator
    )
        throws(LearnerStepError) -> TraceEvidence
    {
        guard trace.logQ.count == trace.traceTokens.count else {
            throw .malformedTrace(
                "\(trace.logQ.count) logQ values for \(trace.traceTokens.count) trace tokens")
        }
        guard promptCount >= 1 else { throw .malformedTrace("the prompt is empty") }
        // logProbs[t] scores token t + 1, so the trace tokens are scored at P-1 ..< P-1+T.
        let traceEnd = promptCount - 1 + trace.traceTokens.count
        let logPi = logProbs[(promptCount - 1)..<traceEnd].map(Double.init)
        let answer: AnswerEvidence =
            switch estimator {
            case .acc: .sampled(correct: trace.correctAnswers, total: trace.sampledAnswers)
            case .gml: .referenceLogProbs(logProbs[traceEnd..<(traceEnd + trace.answerTokens.count)].map(Double.init))
            }
        return TraceEvidence(logPiTrace: logPi, logQTrace: trace.logQ.map(Double.init), answer: answer)
    }
}

/// Why a training pass could not run.
public enum LearnerStepError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model refused the batch.
    case model(ModelError)
    /// The weights could not be computed from the evidence.
    case objectives(ObjectiveError)
    /// A trace's arrays do not fit together.
    case malformedTrace(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .model(let error): "\(error)"
        case .objectives(let error): "\(error)"
        case .malformedTrace(let message): "malformed trace: \(message)"
        }
    }
}
