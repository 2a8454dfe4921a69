import Foundation
import Testing
import VRObjectives

@Suite("weights report")
struct WeightsReportTests {
    @Test("[E4] [E5] [E6] [E3] report of two Acc traces equals the closed form")
    func closedForm() throws {
        // Trace 0: per-token ratio mean(-1 - -2, -3 - -3) = 0.5, acc 2/4. Trace 1: ratio -1, acc 1/4.
        let request = WeightsRequest(
            estimator: nil, normalization: nil,
            questions: [
                .init(
                    id: "q",
                    traces: [
                        .init(logPi: [-1, -3], logQ: [-2, -3], correct: 2, total: 4, answerLogProbs: nil),
                        .init(logPi: [-2], logQ: [-1], correct: 1, total: 4, answerLogProbs: nil),
                    ])
            ])
        let report = try weightsReport(for: request)
        let question = try #require(report.questions.first)
        let logWeights = [log(0.5) + 0.5, log(0.25) - 1]
        #expect(zip(question.logWeights, logWeights).allSatisfy { abs($0 - $1) < 1e-12 })
        let total = exp(logWeights[0]) + exp(logWeights[1])
        #expect(abs(question.weights[0] - exp(logWeights[0]) / total) < 1e-12)
        #expect(abs(question.weights.reduce(0, +) - 1) < 1e-12)
        // The bound uses the exact ratio: sums 1 and -1.
        let exact = [log(0.5) + 1, log(0.25) - 1]
        let bound = log((exp(exact[0]) + exp(exact[1])) / 2)
        #expect(abs(question.bound - bound) < 1e-12)
        let ess = 1 / question.weights.map { $0 * $0 }.reduce(0, +)
        #expect(abs(question.effectiveSampleSize - ess) < 1e-12)
        #expect(question.usableCount == 2)
        #expect(report.estimator == "accuracy" && report.normalization == "perToken")
    }

    @Test("unknown estimators, missing evidence and NaN are reported with their position")
    func errors() {
        let trace = WeightsRequest.Trace(logPi: [-1], logQ: [-1], correct: 1, total: 2, answerLogProbs: nil)
        #expect(throws: ObjectiveError.self) {
            try weightsReport(for: WeightsRequest(estimator: "best", normalization: nil, questions: []))
        }
        #expect(throws: ObjectiveError.self) {
            try weightsReport(
                for: WeightsRequest(
                    estimator: "likelihood", normalization: nil, questions: [.init(id: nil, traces: [trace])]))
        }
        var broken = trace
        broken.logPi = [.nan]
        do {
            _ = try weightsReport(
                for: WeightsRequest(
                    estimator: nil, normalization: nil,
                    questions: [.init(id: nil, traces: [trace]), .init(id: nil, traces: [broken])]))
            Issue.record("NaN was accepted")
        } catch {
            #expect(String(describing: error).contains("question 1"))
        }
    }

    @Test("a question whose traces all have accuracy 0 gets zero weights and a bound of -infinity")
    func noUsableTrace() throws {
        let trace = WeightsRequest.Trace(logPi: [-1], logQ: [-1], correct: 0, total: 2, answerLogProbs: nil)
        let report = try weightsReport(
            for: WeightsRequest(
                estimator: nil, normalization: nil, questions: [.init(id: nil, traces: [trace, trace])]))
        #expect(report.questions[0].weights == [0, 0])
        #expect(report.questions[0].bound == -.infinity)
        #expect(report.questions[0].usableCount == 0)
        #expect(report.questions[0].id == "0")
    }
}
