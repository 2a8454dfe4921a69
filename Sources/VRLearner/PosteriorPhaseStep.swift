// One posterior-phase training pass: forward-KL weights of the prior's traces, weighted SFT of q ([E8]).
//
// Legend: P posterior-prompt tokens (question plus the hint), T trace tokens; M traces per question.
//   w_m = acc_m,  wTilde_m = w_m / sum_j w_j  [E8];  ascend sum_m wTilde_m grad log q(z_m | x, y')  [E10 layout]

import VRModel
import VRObjectives

/// One trace sampled from the prior pi (no hint), with its sampled-answer accuracy.
public struct PriorTrace: Sendable, Equatable, Codable {
    /// The trace's tokens (T).
    public var traceTokens: [Int32]
    /// Sampled answers verified correct.
    public var correctAnswers: Int
    /// Sampled answers.
    public var sampledAnswers: Int

    /// Creates a trace.
    /// - Parameters:
    ///   - traceTokens: T trace tokens.
    ///   - correctAnswers: verified-correct sampled answers.
    ///   - sampledAnswers: sampled answers.
    public init(traceTokens: [Int32], correctAnswers: Int, sampledAnswers: Int) {
        self.traceTokens = traceTokens
        self.correctAnswers = correctAnswers
        self.sampledAnswers = sampledAnswers
    }
}

/// One question for the posterior: q's prompt (question and hint) and the prior's M traces.
public struct QuestionForPosterior: Sendable, Equatable, Codable {
    /// The posterior template's prompt with the reference solution as the hint (P tokens, at least 1).
    public var posteriorPromptTokens: [Int32]
    /// The M traces sampled from pi.
    public var traces: [PriorTrace]

    /// Creates a question.
    /// - Parameters:
    ///   - posteriorPromptTokens: q's prompt.
    ///   - traces: the prior's traces.
    public init(posteriorPromptTokens: [Int32], traces: [PriorTrace]) {
        self.posteriorPromptTokens = posteriorPromptTokens
        self.traces = traces
    }
}

/// The posterior phase of [E9] for one batch: weighted SFT of q on the prior's traces ([E8]).
public enum PosteriorPhaseStep {
    /// Trains q on `questions`, accumulating into `posterior.gradients`.
    ///
    /// The forward-KL weights need no log-probabilities: they are the traces' normalised accuracies, so a
    /// question whose traces all failed contributes nothing.
    /// - Parameters:
    ///   - posterior: q, trained in place (the caller steps the optimizer).
    ///   - questions: the batch.
    ///   - normalizer: the Dr. SFT constant C times the number of questions ([E10]).
    /// - Returns: wTilde per question and trace, and the loss.
    /// - Throws: `LearnerStepError` for malformed evidence or a batch the model refuses.
    public static func run(
        posterior: Transformer, questions: [QuestionForPosterior], normalizer: Float
    )
        throws(LearnerStepError) -> (weights: [[Double]], loss: Double)
    {
        var sequences: [[Int32]] = []
        var targetWeights: [[Float]] = []
        var weights: [[Double]] = []
        for (index, question) in questions.enumerated() {
            do {
                // [E8] wTilde_m = acc_m / sum_j acc_j
                let normalized = try posteriorWeights(
                    answers: question.traces.map { .sampled(correct: $0.correctAnswers, total: $0.sampledAnswers) })
                weights.append(normalized.weights)
                for (trace, weight) in zip(question.traces, normalized.weights) {
                    let layout = try TargetWeightLayout(
                        promptTokenCount: question.posteriorPromptTokens.count,
                        traceTokenCount: trace.traceTokens.count, answerTokenCount: 0)
                    sequences.append(question.posteriorPromptTokens + trace.traceTokens)
                    targetWeights.append(try layout.targetWeights(traceWeight: weight))
                }
            } catch {
                throw .objectives(error.inQuestion(index))
            }
        }
        do {
            let result = try posterior.train(sequences, targetWeights: targetWeights, normalizer: normalizer)
            return (weights, result.loss)
        } catch {
            throw .model(error)
        }
    }
}
