// Which model samples a question's traces, and from which prompt (rollout.proto `Proposal`).

import VRCore

/// The proposal distribution of a question's traces: a model and whether its prompt carries the hint.
public enum TraceProposal: String, Sendable, Hashable, CaseIterable, Codable {
    /// The variational posterior q with the reference hint in its prompt: the method's model phase.
    case hintedPosterior = "hinted-posterior"
    /// q's parameters with the reasoning prompt and no hint: serve a fixed pi0 as q for the "traces from pi0"
    /// ablation and for RFT's reference samples.
    case unhintedPosterior = "unhinted-posterior"
    /// The current reasoning model pi with the reasoning prompt: the posterior phase, and on-policy baselines.
    case reasoningModel = "reasoning-model"

    /// Whether the traces come from q's parameters (else from pi's).
    public var samplesPosterior: Bool { self != .reasoningModel }

    /// Whether the prompt is q's hinted prompt (else pi's reasoning prompt).
    public var isHinted: Bool { self == .hintedPosterior }

    /// The proposal a phase uses unless told otherwise.
    /// - Parameter phase: the phase.
    /// - Returns: `.hintedPosterior` for the model phase, `.reasoningModel` for the posterior phase.
    public static func standard(for phase: RolloutPhase) -> TraceProposal {
        phase == .model ? .hintedPosterior : .reasoningModel
    }
}

// MARK: - Wire conversion

extension TraceProposal {
    var wire: Vr_V1_Proposal {
        switch self {
        case .hintedPosterior: .hintedPosterior
        case .unhintedPosterior: .unhintedPosterior
        case .reasoningModel: .reasoningModel
        }
    }
}
