// Error messages name the value, its position and the rule it breaks.

import Testing
import VRObjectives

@Suite("Objective errors")
struct ObjectiveErrorTests {
    @Test("[E5] -infinity in logQ explains that q sampled the trace")
    func zeroProposal() {
        let error = ObjectiveError.nonFiniteValue(
            .negativeInfinity, field: .logQTrace, at: EvidenceLocation(trace: 4, token: 9))
        #expect(error.description.contains("logQTrace holds negativeInfinity at trace 4, token 9"))
        #expect(error.description.contains("q cannot give probability zero"))
    }

    @Test("[E6] messages name counts and the evidence an estimator needs")
    func messages() {
        #expect(
            ObjectiveError.invalidAnswerCounts(correct: 9, total: 8, at: EvidenceLocation(trace: 1)).description
                .contains("9 correct of 8"))
        #expect(
            ObjectiveError.estimatorMismatch(.accuracy, at: EvidenceLocation()).description.contains(
                "the Acc estimator needs sampled answers"))
        #expect(
            ObjectiveError.nonFiniteValue(.nan, field: .logPiTrace, at: EvidenceLocation()).description.contains(
                "(no position)"))
        #expect(
            ObjectiveError.nonFiniteValue(.nan, field: .logPiTrace, at: EvidenceLocation()).description.contains(
                "or -infinity"))
    }

    @Test("[E4] inQuestion fills in the question index of every located error")
    func inQuestion() {
        let location = EvidenceLocation(trace: 1)
        let errors: [ObjectiveError] = [
            .nonFiniteValue(.nan, field: .logPiTrace, at: location),
            .lengthMismatch(logPiCount: 1, logQCount: 2, at: location),
            .invalidAnswerCounts(correct: 3, total: 2, at: location), .estimatorMismatch(.likelihood, at: location),
            .emptyReferenceAnswer(at: location), .noTraces(at: location),
            .sumOverflow(field: .logPiTrace, at: location),
            .valueOutOfRange(2, field: .accuracy, expected: "a value in [0, 1]", at: location),
        ]
        for error in errors {
            #expect(error.inQuestion(5).description.contains("question 5, trace 1"))
            #expect(error.inQuestion(5) != error)
        }
        #expect(ObjectiveError.invalidParameter("x").inQuestion(5) == .invalidParameter("x"))
    }

    @Test("[E4] non-finite kinds classify values; finite values give nil")
    func kinds() {
        #expect(NonFiniteKind(.nan) == .nan)
        #expect(NonFiniteKind(.infinity) == .positiveInfinity)
        #expect(NonFiniteKind(-.infinity) == .negativeInfinity)
        #expect(NonFiniteKind(-1e308) == nil)
    }
}
