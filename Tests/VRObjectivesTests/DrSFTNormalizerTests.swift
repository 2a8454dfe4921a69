// The Dr. SFT constant C: the average response length of the training set ([E10]).

import Testing
import VRObjectives

@Suite("[E10] Dr. SFT normaliser")
struct DrSFTNormalizerTests {
    @Test("[E10] C is the mean response length: 10, 20, 30 give 20")
    func closedForm() throws {
        #expect(try DrSFTNormalizer.constant(responseTokenCounts: [10, 20, 30]) == 20)
        #expect(try DrSFTNormalizer.constant(responseTokenCounts: [0, 3]) == 1.5)
    }

    @Test("[E10] C from layouts counts trace and answer tokens, not the prompt")
    func fromLayouts() throws {
        let layouts = [
            try TargetWeightLayout(promptTokenCount: 50, traceTokenCount: 10, answerTokenCount: 2),
            try TargetWeightLayout(promptTokenCount: 5, traceTokenCount: 20, answerTokenCount: 4),
        ]
        #expect(try DrSFTNormalizer.constant(responseTokenCounts: layouts.map(\.responseTokenCount)) == 18)
    }

    @Test("[E10] an empty set, a negative length or no response token at all throws")
    func invalid() {
        #expect(throws: ObjectiveError.noTraces(at: EvidenceLocation())) {
            try DrSFTNormalizer.constant(responseTokenCounts: [])
        }
        #expect(throws: ObjectiveError.self) { try DrSFTNormalizer.constant(responseTokenCounts: [3, -1]) }
        #expect(throws: ObjectiveError.self) { try DrSFTNormalizer.constant(responseTokenCounts: [0, 0]) }
    }
}
