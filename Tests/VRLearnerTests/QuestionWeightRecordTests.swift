import Testing
import VRLearner
import VRRecords

/// The per-question records of the bias analysis, against the closed forms of [E11] and [E12].
@Suite("question weight records")
struct QuestionWeightRecordTests {
    /// One question with three traces whose answers were right 1, 3 and 0 times out of 4.
    let question = QuestionForTraining(
        questionID: "q", promptTokens: [1],
        traces: [1, 3, 0].map { correct in
            TraceForTraining(traceTokens: [2], logQ: [-1], correctAnswers: correct, answerCount: 4)
        })

    func record(_ weights: [Double], _ method: ModelObjective.Method) throws -> QuestionWeightRecord {
        let records = try QuestionWeightRecord.records(
            step: 7, questions: [question], weights: [weights], method: method,
            labels: ["q": (family: "addition", difficulty: 2)])
        return try #require(records.first)
    }

    @Test("labels, trace accuracy and total weight are copied through")
    func fields() throws {
        let record = try record([0.25, 0.75, 0], .variational)
        #expect(record.step == 7 && record.questionID == "q" && record.family == "addition" && record.difficulty == 2)
        #expect(record.traces == 3)
        #expect(abs(record.traceAccuracy - 1.0 / 3) < 1e-12)
        #expect(record.totalWeight == 1)
    }

    @Test("[E4] [E11] [E12] effective weights: 1 for the variational method, P for RFT, sqrt(P/(1-P)) for GRPO")
    func effectiveWeights() throws {
        #expect(abs(try record([0.25, 0.75, 0], .variational).effectiveWeight - 1) < 1e-12)
        // RFT's weights acc_k / K sum to the mean accuracy P = 1/3.
        #expect(abs(try record([1.0 / 12, 3.0 / 12, 0], .rft).effectiveWeight - 1.0 / 3) < 1e-12)
        let scale = 1 / (3 * 2.0.squareRoot())
        let grpo = try record([-scale, 2 * scale, -scale], .grpo)
        #expect(abs(grpo.effectiveWeight - (0.5).squareRoot()) < 1e-12)
        #expect(abs(grpo.totalWeight) < 1e-12)
    }
}
