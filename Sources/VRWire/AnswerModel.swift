// Which parameters sample the answers after a question's traces (rollout.proto `AnswerModel`).

/// The model whose answers after each trace give the Acc evidence ([E6]).
public enum AnswerModel: String, Sendable, Hashable, CaseIterable, Codable {
    /// The current reasoning model pi: the method, the posterior phase and GRPO.
    case reasoningModel = "reasoning-model"
    /// q's parameters with the reasoning layout: a fixed reference model served as q, whose verdicts RFT's
    /// weights need ([E11]).
    case posteriorParameters = "posterior-parameters"
}

// MARK: - Wire conversion

extension AnswerModel {
    var wire: Vr_V1_AnswerModel {
        switch self {
        case .reasoningModel: .reasoningModel
        case .posteriorParameters: .posteriorParameters
        }
    }
}
