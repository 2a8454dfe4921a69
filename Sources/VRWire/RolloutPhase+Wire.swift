// The phase on the wire (rollout.proto `Phase`).

import VRCore

extension RolloutPhase {
    var wire: Vr_V1_Phase {
        switch self {
        case .posterior: .posterior
        case .model: .model
        }
    }
}
