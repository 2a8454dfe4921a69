import Foundation
import Testing
import VRExperiment
import VRLearner
import VRRecords
import VRTasks
import VRWorker

/// What the runner builds in code: arms and experiments with the decoder's defaults, the demo's configuration, the
/// daemons' configurations of an arm, and the demo's table.
@Suite("run configurations")
struct RunConfigurationTests {
    @Test("an arm made in code has the options the decoder gives an arm that names only its method")
    func armDefaults() throws {
        for method in ArmMethod.allCases {
            let decoded = try JSONDecoder().decode(
                ArmConfiguration.self, from: Data(#"{"name": "a", "method": "\#(method.rawValue)"}"#.utf8))
            #expect(ArmConfiguration(name: "a", method: method) == decoded, "\(method)")
        }
    }

    @Test("an experiment made in code has the defaults the decoder gives a minimal configuration")
    func experimentDefaults() throws {
        let decoded = try JSONDecoder().decode(
            ExperimentConfiguration.self,
            from: Data(
                #"{"name": "e", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "rft"}]}"#.utf8))
        let made = ExperimentConfiguration(
            name: "e", tasks: decoded.tasks, arms: [ArmConfiguration(name: "a", method: .rft)])
        #expect(made == decoded)
    }

    @Test("the demo trains with the learner's and the workers' defaults and round-trips through JSON")
    func demo() throws {
        var size = DemoSize()
        size.modelSteps = 17
        size.workers = 3
        let demo = ExperimentConfiguration.demo(size)
        try demo.validate()
        let arm = try #require(demo.arms.first)
        var learner = demo.learnerConfiguration(for: arm, seed: 5)
        #expect(learner.modelSteps == 17)
        #expect(learner.seed == 5)
        learner.modelSteps = LearnerConfiguration().modelSteps
        learner.seed = LearnerConfiguration().seed
        #expect(learner == LearnerConfiguration())
        var worker = demo.workerConfiguration(for: arm, seed: 5)
        #expect(worker.seed == 5_000)
        worker.seed = 0
        #expect(worker == WorkerConfiguration())
        #expect(demo.workers == 3 && demo.evaluation.greedy && demo.model.context == 192)
        let decoded = try JSONDecoder().decode(ExperimentConfiguration.self, from: JSONEncoder().encode(demo))
        #expect(decoded == demo)
    }

    @Test("an arm's workers take its n, the budget's trace length and temperature, and seeds apart per run")
    func workerConfiguration() throws {
        var experiment = ExperimentConfiguration(
            name: "e", tasks: [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...2)],
            arms: [ArmConfiguration(name: "r", method: .rft), ArmConfiguration(name: "v", method: .variational)])
        experiment.training.answersPerTrace = 6
        experiment.training.maxTraceTokens = 40
        experiment.training.traceTemperature = 0.9
        let rft = experiment.workerConfiguration(for: experiment.arms[0], seed: 2)
        let variational = experiment.workerConfiguration(for: experiment.arms[1], seed: 3)
        #expect(rft.rollout.answersPerTrace == 1)
        #expect(variational.rollout.answersPerTrace == 6)
        #expect(
            [rft, variational].allSatisfy { $0.rollout.maxTraceTokens == 40 && $0.rollout.traceTemperature == 0.9 })
        #expect((rft.seed, variational.seed) == (2_000, 3_000))
    }

    @Test("the demo's table compares the initial model with the arm's run, per difficulty and overall")
    func demoTable() throws {
        func report(_ accuracies: [Int: Double]) -> EvaluationReport {
            let scores = accuracies.mapValues {
                EvaluationReport.Scores(questionCount: 10, averageAtK: $0, passAtK: min(1, $0 + 0.1))
            }
            let overall = accuracies.values.reduce(0, +) / Double(accuracies.count)
            return EvaluationReport(
                samplesPerQuestion: 4, temperature: 1,
                overall: EvaluationReport.Scores(
                    questionCount: 20, averageAtK: overall, passAtK: min(1, overall + 0.1)),
                byDifficulty: scores, byFamily: [:])
        }
        func run(_ accuracies: [Int: Double]) -> ArmRun {
            ArmRun(
                seed: 1, wallSeconds: 0, modelSteps: 1, posteriorSteps: 0, sampledTokens: 0, metricsFile: nil,
                questionsFile: nil, evaluation: report(accuracies), greedyEvaluation: report(accuracies))
        }
        var results = ExperimentResults(
            name: "demo", command: "vr demo", configurationFile: "experiment.json", machine: "m",
            families: ["addition"], difficulties: [1, 2], samplesPerQuestion: 4, temperature: 1,
            initial: run([1: 0.5, 2: 0.25]),
            arms: [
                ArmResult(
                    name: "variational", label: "v", groups: [], method: "variational", runs: [run([1: 0.75, 2: 0.5])])
            ])
        let lines = try #require(DemoTable(results)).text.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("1           10         0.500 -> 0.750"))
        #expect(lines[4].hasPrefix("all         20         0.375 -> 0.625"))
        results.initial.greedyEvaluation = nil
        #expect(DemoTable(results) == nil)
    }
}
