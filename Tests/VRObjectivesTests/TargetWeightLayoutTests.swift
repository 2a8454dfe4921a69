// The per-target weight layout that Transformer.train consumes ([E10]) and the [E7] answer split.

import Testing
import VRCore
import VRObjectives

@Suite("[E10] Target weight layout")
struct TargetWeightLayoutTests {
    @Test("[E10] prompt 3, trace 2, answer 2: weights [0, 0, w, w, a, a]")
    func closedForm() throws {
        let layout = try TargetWeightLayout(promptTokenCount: 3, traceTokenCount: 2, answerTokenCount: 2)
        #expect(layout.tokenCount == 7)
        #expect(layout.responseTokenCount == 4)
        #expect(try layout.targetWeights(traceWeight: 0.25, answerWeight: 0.5) == [0, 0, 0.25, 0.25, 0.5, 0.5])
        #expect(try layout.targetWeights(traceWeight: 0.25) == [0, 0, 0.25, 0.25, 0.25, 0.25])
    }

    @Test("[E10] a one-token prompt has no zero targets; empty parts have no targets")
    func edges() throws {
        #expect(
            try TargetWeightLayout(promptTokenCount: 1, traceTokenCount: 2, answerTokenCount: 1).targetWeights(
                traceWeight: 1) == [1, 1, 1])
        #expect(
            try TargetWeightLayout(promptTokenCount: 2, traceTokenCount: 0, answerTokenCount: 2).targetWeights(
                traceWeight: 1, answerWeight: 2) == [0, 2, 2])
        #expect(
            try TargetWeightLayout(promptTokenCount: 1, traceTokenCount: 0, answerTokenCount: 0).targetWeights(
                traceWeight: 1) == [])
    }

    @Test("[E10] negative weights (GRPO advantages) are allowed")
    func negative() throws {
        let layout = try TargetWeightLayout(promptTokenCount: 2, traceTokenCount: 1, answerTokenCount: 1)
        #expect(try layout.targetWeights(traceWeight: -0.5) == [0, -0.5, -0.5])
    }

    @Test("[E10] a zero-length prompt, negative counts, and non-finite or too large weights throw")
    func invalid() throws {
        #expect(throws: ObjectiveError.self) {
            try TargetWeightLayout(promptTokenCount: 0, traceTokenCount: 2, answerTokenCount: 1)
        }
        #expect(throws: ObjectiveError.self) {
            try TargetWeightLayout(promptTokenCount: 1, traceTokenCount: -1, answerTokenCount: 1)
        }
        let layout = try TargetWeightLayout(promptTokenCount: 1, traceTokenCount: 1, answerTokenCount: 1)
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .weight, at: EvidenceLocation())) {
            try layout.targetWeights(traceWeight: .nan)
        }
        #expect(throws: ObjectiveError.nonFiniteValue(.positiveInfinity, field: .weight, at: EvidenceLocation())) {
            try layout.targetWeights(traceWeight: 1, answerWeight: .infinity)
        }
        #expect(throws: ObjectiveError.self) { try layout.targetWeights(traceWeight: 1e300) }
    }

    @Test("[E10] random layouts: N - 1 weights summing to T w + A a")
    func randomLayouts() throws {
        var generator = SeededGenerator(seed: 10)
        for _ in 0..<200 {
            let layout = try TargetWeightLayout(
                promptTokenCount: Int.random(in: 1...20, using: &generator),
                traceTokenCount: Int.random(in: 0...30, using: &generator),
                answerTokenCount: Int.random(in: 0...10, using: &generator))
            let traceWeight = Double.random(in: -1...1, using: &generator)
            let answerWeight = Double.random(in: 0...1, using: &generator)
            let weights = try layout.targetWeights(traceWeight: traceWeight, answerWeight: answerWeight)
            #expect(weights.count == layout.tokenCount - 1)
            let expected =
                Double(Float(traceWeight)) * Double(layout.traceTokenCount) + Double(Float(answerWeight))
                * Double(layout.answerTokenCount)
            #expect(isClose(weights.reduce(0) { $0 + Double($1) }, expected, tolerance: 1e-9))
            #expect(weights.prefix(layout.promptTokenCount - 1).allSatisfy { $0 == 0 })
        }
    }
}
