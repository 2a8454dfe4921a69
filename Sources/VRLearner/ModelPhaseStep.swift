// One model-phase training pass: log pi from the learner's own forward pass, multi-trace weights, weighted backward.
//
// Legend: P prompt tokens, T trace tokens (end-of-thought marker included), O answer-opening tokens, A answer
// tokens; K traces per question, c_k of trace k's n sampled answers verified correct.
// docs/architecture.md, the path of one trace: forward pi over [prompt; trace; opening; answer] -> logPi per token;
// log rho_k = log acc_k + mean_t(logPi - logQ) [E5, E6]; rhoTilde = softmax over k [E4] (or the best trace, or
// the RFT weights [E11]); backward with weight w_k on the trace and opening and w_k / c_k on each correct sampled
// answer [E7] (GML: the reference answer), divided by C [E10]. GRPO instead weights each token of the trace and
// its first answer by `ClippedSurrogate` [E12].

import VRModel
import VRObjectives
import VRTransport
import VRWire

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
    /// Tokens in the pass's sequences.
    public var tokenCount: Int
}

/// The model phase of [E9] for one batch: weights from the learner's own log pi, then a weighted backward.
public enum ModelPhaseStep {
    /// Runs forward, weights and backward for `questions`, accumulating into `model.gradients`.
    ///
    /// The sampling log-probabilities travel with the traces and log pi comes from this forward pass, so the
    /// self-normalised weights stay valid however stale the sampler was (docs/protocol.md, staleness).
    /// - Parameters:
    ///   - model: pi, trained in place (gradients accumulate; the caller steps the optimizer).
    ///   - reference: the fixed reference model GRPO's KL penalty is measured against; needed only then.
    ///   - questions: the batch.
    ///   - normalizer: the Dr. SFT constant C times the number of questions ([E10]).
    ///   - normalization: how the trace ratio enters ([E5]).
    ///   - objective: the weighting; the variational method with Acc and all traces weighted by default.
    /// - Returns: weights, bounds, ESS and the loss.
    /// - Throws: `LearnerStepError` for malformed traces, the model's or the objectives' errors.
    public static func run(
        model: Transformer, reference: Transformer? = nil, questions: [QuestionForTraining], normalizer: Float,
        normalization: TraceNormalization = .perToken, objective: ModelObjective = ModelObjective()
    ) throws(LearnerStepError) -> ModelPhaseResult {
        // 1. the sequences: per trace [prompt; trace; opening; first trained answer], then one per further answer
        var plans: [[TracePlan]] = []
        var sequences: [[Int32]] = []
        for question in questions {
            guard !question.promptTokens.isEmpty else { throw .malformedTrace("the prompt is empty") }
            var questionPlans: [TracePlan] = []
            for trace in question.traces {
                let plan = try TracePlan(trace, objective: objective, firstSequence: sequences.count)
                sequences += plan.answers.indices.map { question.promptTokens + plan.tokens(of: trace, answer: $0) }
                if plan.answers.isEmpty { sequences.append(question.promptTokens + trace.traceTokens) }
                questionPlans.append(plan)
            }
            plans.append(questionPlans)
        }
        let logProbs: [[Float]]
        do { logProbs = try model.forward(sequences) } catch { throw .model(error) }
        var logReference: [[Float]]?
        if objective.method == .grpo && objective.surrogate.klCoefficient > 0 {
            guard let reference else {
                throw .objectives(.invalidParameter("GRPO's KL penalty needs a reference model"))
            }
            do { logReference = try reference.forward(sequences) } catch { throw .model(error) }
        }
        // 2. weights per question: [E4]-[E6] for the method, [E11]-[E12] for the baselines
        var result = ModelPhaseResult(
            weights: [], bounds: [], effectiveSampleSizes: [], loss: 0,
            tokenCount: sequences.reduce(0) { $0 + $1.count })
        var targetWeights = [[Float]](repeating: [], count: sequences.count)
        for (questionIndex, question) in questions.enumerated() {
            let promptCount = question.promptTokens.count
            let evidence = try zip(question.traces, plans[questionIndex]).map { trace, plan throws(LearnerStepError) in
                try Self.evidence(
                    trace, promptCount: promptCount, logProbs: logProbs[plan.firstSequence],
                    estimator: objective.estimator)
            }
            do {
                let weights = try Self.weights(
                    evidence, traces: question.traces, objective: objective, normalization: normalization)
                result.weights.append(weights)
                result.effectiveSampleSizes.append(effectiveSampleSize(weights: weights.map(abs)))
                result.bounds.append(try multiTraceBound(traces: evidence, estimator: objective.estimator.estimator))
                // 3. target weights [E4], [E7], [E10]; GRPO's per token [E12]
                for (trace, (plan, weight)) in zip(question.traces, zip(plans[questionIndex], weights)) {
                    for (answer, responseWeights) in try plan.responseWeights(
                        trace, weight: weight, groupSize: question.traces.count, objective: objective,
                        promptCount: promptCount, logProbs: logProbs, logReference: logReference
                    ).enumerated() {
                        targetWeights[plan.firstSequence + answer] = try TargetWeightLayout.targetWeights(
                            promptTokenCount: promptCount, responseWeights: responseWeights)
                    }
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

    /// The tokens of the sequences `run` builds for `question` under `objective`; a trace it would refuse counts
    /// as one sequence of the prompt and the trace.
    /// - Parameters:
    ///   - question: a question with its traces.
    ///   - objective: the weighting, which decides the answers trained after each trace.
    /// - Returns: the token count.
    static func tokenCount(of question: QuestionForTraining, objective: ModelObjective) -> Int {
        question.traces.reduce(0) { total, trace in
            let start = question.promptTokens.count + trace.traceTokens.count
            guard let plan = try? TracePlan(trace, objective: objective, firstSequence: 0), !plan.answers.isEmpty
            else { return total + start }
            return plan.answers.reduce(total) { $0 + start + trace.answerOpening.count + $1.tokens.count }
        }
    }

    /// One question's trace weights under `objective`.
    ///
    /// ```
    /// variational, weighted:  rhoTilde_k = softmax_k log rho_k                 [E4]-[E6]
    /// variational, best:      1 for the first argmax_k log rho_k, else 0 (all 0 without a usable trace)
    /// rft:                    acc_k / K                                         [E11]
    /// grpo:                   (r_k - mean r) / (std r + eps) / K                [E12], r_k the first answer's verdict
    /// ```
    private static func weights(
        _ evidence: [TraceEvidence], traces: [TraceForTraining], objective: ModelObjective,
        normalization: TraceNormalization
    ) throws(ObjectiveError) -> [Double] {
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
            return rftWeights(accuracies: traces.map(\.accuracy))
        case (.grpo, _):
            return try grpoWeights(correct: traces.map(TracePlan.completionReward))
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
        // The sequence is [prompt; trace; opening; reference answer] (the reference answer scored for GML).
        let logPi = ScoredTokens.logProbs(logProbs, ofTokensAt: promptCount, count: trace.traceTokens.count)
        let answerStart = promptCount + trace.traceTokens.count + trace.answerOpening.count
        let answer: AnswerEvidence =
            switch estimator {
            case .acc: .sampled(correct: trace.correctAnswers, total: trace.answerCount)
            case .gml:
                .referenceLogProbs(
                    ScoredTokens.logProbs(logProbs, ofTokensAt: answerStart, count: trace.referenceAnswer.count))
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
    /// Another rank's share of the step failed, for the reason given; every rank skips the step.
    case onRank(Int, String)
    /// The ranks cannot go on together: they cannot communicate, or their models differ.
    case collective(CollectiveError)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .model(let error): "\(error)"
        case .objectives(let error): "\(error)"
        case .malformedTrace(let message): "malformed trace: \(message)"
        case .onRank(let rank, let message): "on rank \(rank): \(message)"
        case .collective(let error): "\(error)"
        }
    }
}
