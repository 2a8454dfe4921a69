import Foundation
import Testing
import VRRecords
import VRTasks

@testable import VRExperiment

/// Stage 2 (q) is trained only when a pending run needs it: an online arm that serves q, or an offline arm whose q
/// pool the run directory lacks.
@Suite("which runs need q")
struct PosteriorNeedTests {
    static let arms = [
        ArmConfiguration(name: "sft", method: .sft),
        ArmConfiguration(name: "offline-acc", method: .variational, mode: .offline),
        ArmConfiguration(name: "rft", method: .rft, mode: .offline),
        ArmConfiguration(name: "online", method: .variational),
        ArmConfiguration(name: "grpo", method: .grpo),
    ]

    /// A runner over a fresh run directory.
    func runner() -> ExperimentRunner {
        let configuration = ExperimentConfiguration(
            name: "e", tasks: [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)],
            arms: Self.arms)
        return ExperimentRunner(
            configuration: configuration, directory: NSTemporaryDirectory() + "vr-need-q-\(UUID().uuidString)",
            command: "vr experiment", launcher: DaemonLauncher(executable: URL(fileURLWithPath: "/bin/false")),
            progress: { _ in })
    }

    /// The arms named `names`.
    func arms(_ names: String...) -> [ArmConfiguration] {
        Self.arms.filter { names.contains($0.name) }
    }

    @Test("SFT, RFT from pi0's pool and GRPO need pi0 alone")
    func withoutPosterior() {
        #expect(!runner().posteriorNeeded(by: arms("sft", "rft", "grpo")))
    }

    @Test("an offline arm needs q until its pool is in the run directory")
    func offlinePool() throws {
        let runner = runner()
        defer { try? FileManager.default.removeItem(atPath: runner.directory) }
        #expect(runner.posteriorNeeded(by: arms("offline-acc")))
        let source = PoolSource(proposal: .hintedPosterior, hint: .workedSolution)
        try FileManager.default.createDirectory(
            atPath: runner.directory + "/pools", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: runner.poolStage.path(source, seed: 1), contents: Data()))
        #expect(!runner.posteriorNeeded(by: arms("offline-acc")))
    }

    @Test("an online variational arm needs q until it has finished")
    func onlineArm() throws {
        let runner = runner()
        defer { try? FileManager.default.removeItem(atPath: runner.directory) }
        #expect(runner.posteriorNeeded(by: arms("online")))
        let run = ArmRun(
            seed: 1, wallSeconds: 1, modelSteps: 1, posteriorSteps: 1, sampledTokens: 1, metricsFile: nil,
            questionsFile: nil,
            evaluation: EvaluationReport(
                samplesPerQuestion: 1, temperature: 1,
                overall: EvaluationReport.Scores(questionCount: 1, averageAtK: 0, passAtK: 0), byDifficulty: [:],
                byFamily: [:]))
        let folder = runner.directory + "/arms/online/seed-1"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try JSONEncoder().encode(run).write(to: URL(fileURLWithPath: folder + "/run.json"))
        #expect(!runner.posteriorNeeded(by: arms("online")))
    }
}
