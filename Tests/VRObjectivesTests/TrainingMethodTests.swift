// Closed-form per-question effective weights: P, P, sqrt(P/(1-P)) and the variational constant ([E11], [E12]).

import Testing
import VRObjectives

@Suite("[E11] [E12] Effective weight closed forms")
struct TrainingMethodTests {
    @Test("[E11] [E12] at P = 1/4: RFT and binary RL 1/4, GRPO sqrt(1/3), variational 1")
    func quarter() throws {
        #expect(try TrainingMethod.rft.effectiveWeight(accuracy: 0.25) == 0.25)
        #expect(try TrainingMethod.binaryReward.effectiveWeight(accuracy: 0.25) == 0.25)
        #expect(isClose(try TrainingMethod.grpo(epsilon: 0).effectiveWeight(accuracy: 0.25), (1.0 / 3).squareRoot()))
        #expect(try TrainingMethod.variational.effectiveWeight(accuracy: 0.25) == 1)
    }

    @Test("[E12] GRPO: P / (sqrt(P(1-P)) + epsilon), 0 at P = 0 and P = 1")
    func grpoEdges() throws {
        #expect(try TrainingMethod.grpo(epsilon: 0).effectiveWeight(accuracy: 0) == 0)
        #expect(try TrainingMethod.grpo(epsilon: 0).effectiveWeight(accuracy: 1) == 0)
        #expect(isClose(try TrainingMethod.grpo(epsilon: 0).effectiveWeight(accuracy: 0.5), 1))
        #expect(isClose(try TrainingMethod.grpo().effectiveWeight(accuracy: 0.5), 0.5 / (0.5 + grpoDefaultEpsilon)))
    }

    @Test("[E11] [E4] edges: at P = 0 every method gives 0; at P = 1 RFT and variational give 1")
    func edges() throws {
        for method in [TrainingMethod.rft, .binaryReward, .grpo(), .variational] {
            #expect(try method.effectiveWeight(accuracy: 0) == 0)
        }
        #expect(try TrainingMethod.rft.effectiveWeight(accuracy: 1) == 1)
        #expect(try TrainingMethod.variational.effectiveWeight(accuracy: 1) == 1)
    }

    @Test("[E11] [E12] the baselines' weights grow with P; the variational weight is flat")
    func monotone() throws {
        let accuracies = stride(from: 0.05, through: 0.95, by: 0.05).map { $0 }
        for method in [TrainingMethod.rft, .binaryReward, .grpo()] {
            let weights = try accuracies.map { try method.effectiveWeight(accuracy: $0) }
            #expect(zip(weights, weights.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(try accuracies.allSatisfy { try TrainingMethod.variational.effectiveWeight(accuracy: $0) == 1 })
    }

    @Test("[E11] an accuracy outside [0, 1] or NaN throws")
    func invalid() {
        #expect(throws: ObjectiveError.self) { try TrainingMethod.rft.effectiveWeight(accuracy: 1.01) }
        #expect(throws: ObjectiveError.self) { try TrainingMethod.grpo().effectiveWeight(accuracy: .nan) }
        #expect(throws: ObjectiveError.self) { try TrainingMethod.grpo(epsilon: -1).effectiveWeight(accuracy: 0.5) }
    }
}
