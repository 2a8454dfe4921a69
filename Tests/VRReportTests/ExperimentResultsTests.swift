import Foundation
import Testing
import VRRecords
import VRReport
import VRWorker

/// The results file `vr experiment` writes and `vr report` reads.
@Suite("experiment results")
struct ExperimentResultsTests {
    static func run(seed: UInt64, average: Double) -> ArmRun {
        let scores = EvaluationReport.Scores(questionCount: 10, averageAtK: average, passAtK: min(1, 2 * average))
        return ArmRun(
            seed: seed, wallSeconds: 12.5, modelSteps: 20, posteriorSteps: 20, sampledTokens: 4_000,
            metricsFile: "arms/a/seed-\(seed)/learner/metrics.jsonl", questionsFile: nil,
            evaluation: EvaluationReport(
                samplesPerQuestion: 4, temperature: 1, overall: scores, byDifficulty: [1: scores],
                byFamily: ["addition": scores]))
    }

    @Test("a results file reads back to the same values")
    func roundTrip() throws {
        let results = ExperimentResults(
            name: "tiny", command: "vr experiment --config tiny.json --run runs/tiny",
            configurationFile: "experiment.json", machine: "2 cores, Linux", families: ["addition"], difficulties: [1],
            samplesPerQuestion: 4, temperature: 1, initial: Self.run(seed: 0, average: 0.1),
            arms: [
                ArmResult(
                    name: "variational-acc", label: "Variational (Acc)", groups: ["main"], method: "variational",
                    estimator: "acc", selection: "weighted", traces: 4, proposal: "hinted-posterior",
                    runs: [Self.run(seed: 1, average: 0.3), Self.run(seed: 2, average: 0.35)])
            ])
        let data = try JSONEncoder().encode(results)
        #expect(try JSONDecoder().decode(ExperimentResults.self, from: data) == results)
    }
}
