// Which model a question's traces are sampled from (rollout.proto `Phase`).

/// The phase of the variational method a question is assigned for.
public enum RolloutPhase: String, Sendable, Hashable, CaseIterable, Codable {
    /// Sample M traces from the reasoning model pi, no hint; the learner updates q_phi.
    case posterior
    /// Sample K traces from the variational posterior q, reference hint in the prompt; the learner updates pi_theta.
    case model
}

// MARK: - Wire conversion

extension RolloutPhase {
    var wire: Vr_V1_Phase {
        switch self {
        case .posterior: .posterior
        case .model: .model
        }
    }
}
