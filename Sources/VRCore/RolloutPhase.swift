// The two phases of the variational method: which model samples a question's traces and which one learns.

/// The phase of the variational method a question is assigned for, and a training step takes.
public enum RolloutPhase: String, Sendable, Hashable, CaseIterable, Codable {
    /// Sample M traces from the reasoning model pi, no hint; the learner updates q_phi.
    case posterior
    /// Sample K traces from the variational posterior q, reference hint in the prompt; the learner updates pi_theta.
    case model
}
