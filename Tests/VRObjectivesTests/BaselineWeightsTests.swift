// Per-sample weights of RFT, binary-reward RL and GRPO ([E11], [E12]).

import Testing
import VRObjectives

@Suite("[E11] [E12] Baseline weights")
struct BaselineWeightsTests {
    @Test("[E11] RFT and binary RL weigh each correct sample 1/K")
    func rftClosedForm() {
        let correct = [true, false, true, false]
        #expect(rftWeights(correct: correct) == [0.25, 0, 0.25, 0])
        #expect(binaryRewardWeights(correct: correct) == rftWeights(correct: correct))
        #expect(rftWeights(correct: []) == [])
    }

    @Test("[E12] GRPO advantages of rewards 1, 0, 0, 0 are sqrt 3 and -1/sqrt 3")
    func grpoClosedForm() throws {
        let advantages = try grpoAdvantages(rewards: [1, 0, 0, 0], epsilon: 0)
        let root3 = 3.0.squareRoot()
        #expect(isClose(advantages, [root3, -1 / root3, -1 / root3, -1 / root3]))
        #expect(isClose(try grpoWeights(correct: [true, false, false, false], epsilon: 0), advantages.map { $0 / 4 }))
    }

    @Test("[E12] GRPO advantages sum to 0 and have population std 1 (epsilon 0)")
    func grpoStandardised() throws {
        let advantages = try grpoAdvantages(rewards: [0.3, 1.7, -2, 5, 0], epsilon: 0)
        let mean = advantages.reduce(0, +) / 5
        let variance = advantages.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5
        #expect(abs(mean) < 1e-12)
        #expect(isClose(variance, 1))
    }

    @Test("[E12] the default epsilon shrinks advantages by std / (std + 1e-6)")
    func grpoEpsilon() throws {
        let exact = try grpoAdvantages(rewards: [1, 0], epsilon: 0)
        let smoothed = try grpoAdvantages(rewards: [1, 0])
        #expect(exact == [1, -1])
        #expect(isClose(smoothed, [0.5 / (0.5 + grpoDefaultEpsilon), -0.5 / (0.5 + grpoDefaultEpsilon)]))
    }

    @Test("[E12] a constant group (all correct, all wrong, or equal rewards) has zero advantages")
    func grpoConstantGroup() throws {
        #expect(try grpoAdvantages(rewards: [1, 1, 1], epsilon: 0) == [0, 0, 0])
        #expect(try grpoAdvantages(rewards: [0, 0], epsilon: 0) == [0, 0])
        #expect(try grpoAdvantages(rewards: [0.1, 0.1, 0.1], epsilon: 0) == [0, 0, 0])
        #expect(try grpoAdvantages(rewards: []) == [])
    }

    @Test("[E12] non-finite rewards and bad epsilons throw")
    func grpoInvalid() {
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .reward, at: EvidenceLocation(trace: 2))) {
            try grpoAdvantages(rewards: [0, 1, .nan])
        }
        #expect(
            throws: ObjectiveError.nonFiniteValue(.negativeInfinity, field: .reward, at: EvidenceLocation(trace: 0))
        ) {
            try grpoAdvantages(rewards: [-.infinity, 1])
        }
        #expect(throws: ObjectiveError.self) { try grpoAdvantages(rewards: [0, 1], epsilon: -1) }
        #expect(throws: ObjectiveError.self) { try grpoAdvantages(rewards: [0, 1], epsilon: .nan) }
    }
}
