// Forward-KL posterior weights: prior traces weighted by their accuracy ([E8]).

import Testing
import VRObjectives

@Suite("[E8] Forward-KL posterior weights")
struct PosteriorWeightsTests {
    @Test("[E8] Acc 2/8, 6/8, 0/8 give weights 1/4, 3/4, 0")
    func accuracyClosedForm() throws {
        let answers: [AnswerEvidence] = [
            .sampled(correct: 2, total: 8), .sampled(correct: 6, total: 8), .sampled(correct: 0, total: 8),
        ]
        let result = try posteriorWeights(answers: answers)
        #expect(isClose(result.weights, [0.25, 0.75, 0]))
        #expect(result.diagnostics.usableCount == 2)
    }

    @Test("[E8] precomputed accuracies give w_m / sum_j w_j")
    func accuraciesClosedForm() throws {
        #expect(isClose(try posteriorWeights(accuracies: [0.2, 0.6, 0.2]).weights, [0.2, 0.6, 0.2]))
        #expect(isClose(try posteriorWeights(accuracies: [0.1, 0.3]).weights, [0.25, 0.75]))
    }

    @Test("[E8] both forms agree")
    func formsAgree() throws {
        let counts = [1, 4, 0, 7, 3]
        let fromAnswers = try posteriorWeights(answers: counts.map { .sampled(correct: $0, total: 8) })
        let fromAccuracies = try posteriorWeights(accuracies: counts.map { Double($0) / 8 })
        #expect(isClose(fromAnswers.weights, fromAccuracies.weights))
        #expect(isClose(fromAnswers.diagnostics.effectiveSampleSize, fromAccuracies.diagnostics.effectiveSampleSize))
    }

    @Test("[E8] no prior trace reaches Y: zero weights, no update, never NaN")
    func allZero() throws {
        let fromAnswers = try posteriorWeights(answers: [
            .sampled(correct: 0, total: 8), .sampled(correct: 0, total: 4),
        ])
        #expect(fromAnswers.weights == [0, 0])
        #expect(!fromAnswers.diagnostics.hasUsableTrace)
        let fromAccuracies = try posteriorWeights(accuracies: [0, 0, 0])
        #expect(fromAccuracies.weights == [0, 0, 0])
        #expect(!fromAccuracies.diagnostics.hasUsableTrace)
    }

    @Test("[E8] GML evidence works as w_m too")
    func geometricMean() throws {
        let answers: [AnswerEvidence] = [.referenceLogProbs([-1, -1]), .referenceLogProbs([-1, -1, -1])]
        let result = try posteriorWeights(answers: answers, estimator: .geometricMeanLikelihood)
        #expect(isClose(result.weights, [0.5, 0.5]))
    }

    @Test("[E8] invalid accuracies and counts throw with the trace index")
    func invalid() {
        #expect(
            throws: ObjectiveError.valueOutOfRange(
                1.5, field: .accuracy, expected: "a value in [0, 1]", at: EvidenceLocation(trace: 1))
        ) {
            try posteriorWeights(accuracies: [0.5, 1.5])
        }
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .accuracy, at: EvidenceLocation(trace: 0))) {
            try posteriorWeights(accuracies: [.nan])
        }
        #expect(throws: ObjectiveError.invalidAnswerCounts(correct: 9, total: 8, at: EvidenceLocation(trace: 1))) {
            try posteriorWeights(answers: [.sampled(correct: 1, total: 8), .sampled(correct: 9, total: 8)])
        }
    }
}
