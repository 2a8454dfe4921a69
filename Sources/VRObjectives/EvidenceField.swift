// Names of the inputs an objective validates, so that an error says which array held the bad value.

/// The input array a value came from.
public enum EvidenceField: String, Sendable, Equatable, CaseIterable {
    /// Per-token `log pi(z_t | x, z_<t)` of a trace under the reasoning model.
    case logPiTrace
    /// Per-token `log q(z_t | x, y', z_<t)` of a trace under the variational posterior.
    case logQTrace
    /// Per-token `log pi(y_t | x, z, y_<t)` of the reference answer.
    case referenceAnswer
    /// A log importance weight `log rho_k`.
    case logWeight
    /// A reward of a sampled answer.
    case reward
    /// An accuracy (fraction of correct answers).
    case accuracy
    /// A per-trace training weight.
    case weight
}
