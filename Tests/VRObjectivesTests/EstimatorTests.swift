// The Acc, GML and L estimators of pi(Y_x | x, z) ([E6]).

import Foundation
import Testing
import VRObjectives

@Suite("[E6] Estimators of pi(Y|x,z)")
struct EstimatorTests {
    @Test("[E6] Acc is log(correct / total)")
    func accuracyClosedForm() throws {
        #expect(isClose(try Estimator.accuracy.logAnswerProbability(.sampled(correct: 3, total: 8)), log(3.0 / 8)))
        #expect(try Estimator.accuracy.logAnswerProbability(.sampled(correct: 8, total: 8)) == 0)
    }

    @Test("[E6] Acc zero-weight rule: no correct answer gives log 0 = -infinity")
    func accuracyZero() throws {
        #expect(try Estimator.accuracy.logAnswerProbability(.sampled(correct: 0, total: 8)) == -.infinity)
    }

    @Test(
        "[E6] Acc rejects counts outside 0 <= correct <= total, total > 0",
        arguments: [(-1, 8), (9, 8), (0, 0), (1, -2)])
    func accuracyInvalidCounts(correct: Int, total: Int) {
        #expect(throws: ObjectiveError.invalidAnswerCounts(correct: correct, total: total, at: EvidenceLocation())) {
            try Estimator.accuracy.logAnswerProbability(.sampled(correct: correct, total: total))
        }
    }

    @Test("[E6] GML is the mean and L the sum of the reference answer's token log-probs")
    func geometricMeanAndLikelihood() throws {
        let answer = AnswerEvidence.referenceLogProbs([-1, -2, -3])
        #expect(isClose(try Estimator.geometricMeanLikelihood.logAnswerProbability(answer), -2))
        #expect(isClose(try Estimator.likelihood.logAnswerProbability(answer), -6))
    }

    @Test("[E6] -infinity in the reference answer gives probability zero, not NaN")
    func referenceNegativeInfinity() throws {
        let answer = AnswerEvidence.referenceLogProbs([-1, -.infinity])
        #expect(try Estimator.geometricMeanLikelihood.logAnswerProbability(answer) == -.infinity)
        #expect(try Estimator.likelihood.logAnswerProbability(answer) == -.infinity)
    }

    @Test("[E6] NaN or +infinity in the reference answer throws with the token index")
    func referenceNonFinite() {
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .referenceAnswer, at: EvidenceLocation(token: 1))) {
            try Estimator.geometricMeanLikelihood.logAnswerProbability(.referenceLogProbs([-1, .nan]))
        }
        #expect(
            throws: ObjectiveError.nonFiniteValue(
                .positiveInfinity, field: .referenceAnswer, at: EvidenceLocation(token: 0))
        ) {
            try Estimator.likelihood.logAnswerProbability(.referenceLogProbs([.infinity]))
        }
    }

    @Test("[E6] an empty reference answer throws")
    func emptyReference() {
        #expect(throws: ObjectiveError.emptyReferenceAnswer(at: EvidenceLocation())) {
            try Estimator.geometricMeanLikelihood.logAnswerProbability(.referenceLogProbs([]))
        }
    }

    @Test("[E6] the evidence kind must match the estimator")
    func mismatch() {
        #expect(throws: ObjectiveError.estimatorMismatch(.accuracy, at: EvidenceLocation())) {
            try Estimator.accuracy.logAnswerProbability(.referenceLogProbs([-1]))
        }
        #expect(throws: ObjectiveError.estimatorMismatch(.likelihood, at: EvidenceLocation())) {
            try Estimator.likelihood.logAnswerProbability(.sampled(correct: 1, total: 2))
        }
    }

    @Test("[E6] estimators print the paper's names")
    func names() {
        #expect(Estimator.allCases.map(\.description) == ["Acc", "GML", "L"])
    }
}
