// How the model phase turns a question's K traces into pi's update: the variational method with its estimator and
// selection, or one of the baselines the paper analyses, and which proposal samples the traces.

import VRCore
import VRObjectives
import VRWire

/// The model phase's objective: the method, its options, and the proposal the workers sample from.
public struct ModelObjective: Sendable, Equatable, Codable {
    /// The weighting of a question's K traces.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Self-normalised importance weights rhoTilde_k ([E4]-[E6]).
        case variational
        /// RFT: weight 1/K on each trace whose answer is correct ([E11]); with a fixed reference proposal.
        case rft
        /// GRPO with 0/1 rewards: each trace with its own first sampled answer is one completion, trained with its
        /// group-normalised advantage A_k / K through PPO's clipped ratio against the behaviour log-probs, and an
        /// optional KL penalty toward the reference model ([E12], `ClippedSurrogate`).
        case grpo
    }

    /// How pi(Y_x | x, z_k) is estimated in the variational weights ([E6]).
    public enum AnswerEstimator: String, Sendable, Codable, CaseIterable {
        /// Acc: the fraction of the n answers a worker sampled after the trace that the verifier accepted.
        case acc
        /// GML: the geometric mean probability of the reference answer, from the learner's own forward pass.
        case gml

        /// The objectives' estimator.
        public var estimator: Estimator { self == .acc ? .accuracy : .geometricMeanLikelihood }
    }

    /// Which of a question's traces carry weight in the variational method.
    public enum Selection: String, Sendable, Codable, CaseIterable {
        /// Every trace with its weight rhoTilde_k (the paper's better setting).
        case weighted
        /// Only the trace of largest log rho_k, with weight 1.
        case best
    }

    /// The weighting.
    public var method = Method.variational
    /// The variational method's estimator.
    public var estimator = AnswerEstimator.acc
    /// The variational method's selection.
    public var selection = Selection.weighted
    /// Which model samples the model phase's traces, and whether its prompt carries the hint.
    public var proposal = TraceProposal.hintedPosterior
    /// GRPO's clip range and KL coefficient.
    public var surrogate = ClippedSurrogate.standard

    /// Which parameters sample the answers after each trace: RFT's verdicts come from the fixed reference model
    /// that sampled its traces ([E11]); every other objective scores with the current pi.
    public var answerModel: AnswerModel {
        method == .rft && proposal.samplesPosterior ? .posteriorParameters : .reasoningModel
    }

    /// The method with its defaults: variational, Acc, all traces weighted, traces from the hinted q.
    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case method, estimator, selection, proposal, surrogate
    }

    /// Reads an objective: missing keys take the defaults above, unknown keys are errors.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the first unknown key or mistyped value.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        method = try container.decode(.method, default: method)
        estimator = try container.decode(.estimator, default: estimator)
        selection = try container.decode(.selection, default: selection)
        proposal = try container.decode(.proposal, default: proposal)
        surrogate = try container.decode(.surrogate, default: surrogate)
    }

    /// The reward of a trace for RFT and GRPO: its answers are correct when at least half of them are (with
    /// one answer per trace, as the baselines sample, that answer's verdict).
    /// - Parameters:
    ///   - correctAnswers: answers the verifier accepted.
    ///   - sampledAnswers: answers sampled.
    /// - Returns: whether the trace counts as correct.
    public static func isCorrect(correctAnswers: Int, sampledAnswers: Int) -> Bool {
        sampledAnswers > 0 && 2 * correctAnswers >= sampledAnswers
    }
}
