import Foundation
import Testing
import VRCore
import VRLearner
import VRModel
import VRRecords
import VRTensor

/// The learner daemon killed with SIGKILL at random moments, while it checkpoints every step, and restarted each
/// time: it resumes from the last checkpoint on disk, its workers come back by themselves, and only the steps
/// after that checkpoint are redone.
@Suite("learner crashes", .serialized)
struct LearnerCrashTests {
    @Test("SIGKILLed four times and restarted: resumes where its checkpoint stands; workers rejoin by themselves")
    func killAndRestart() async throws {
        let fixture = try ClusterFixture(name: "crash")
        let run = fixture.directory + "/run"
        let metricsFile = run + "/metrics.jsonl"
        // The first learner picks free ports; every restart binds the same ones, so the workers find it again.
        var learner = try fixture.learner(
            run: "run", modelSteps: 1_000, extra: ["--checkpoint-every", "1", "--resume-if-present"],
            log: "learner-0.log")
        let workers = [
            try await fixture.worker("w1", extra: ["--learner-gone-seconds", "0"]),
            try await fixture.worker("w2", extra: ["--learner-gone-seconds", "0"]),
        ]
        let endpoints = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: URL(fileURLWithPath: fixture.endpoints)))
        var generator = SeededGenerator(seed: 0xC4A5)
        var killsDuringWrite = 0
        var resumedVersions: [UInt64] = []
        for restart in 1...4 {
            #expect(await learner.waitForLine(containing: "checkpoint written", seconds: 120), "\(learner.output)")
            // Somewhere in the next steps, possibly in the middle of writing a checkpoint.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<400, using: &generator)))
            learner.kill()
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: run)
            if leftovers.contains("checkpoint.partial") || leftovers.contains("checkpoint.previous") {
                killsDuringWrite += 1
            }
            let onDisk = try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
            let linesBefore = try metrics(metricsFile).count
            learner = try fixture.learner(
                run: "run", modelSteps: 1_000,
                extra: [
                    "--checkpoint-every", "1", "--resume-if-present", "--request-endpoint", endpoints["request"] ?? "",
                    "--publish-endpoint", endpoints["publish"] ?? "",
                ], log: "learner-\(restart).log")
            let version = onDisk.progress.parameterVersion
            #expect(
                await learner.waitForLine(
                    containing: "resuming at version \(version) after \(onDisk.progress.modelSteps) model steps",
                    seconds: 60), "\(learner.output)")
            resumedVersions.append(version)
            // Training goes on from the checkpoint: the next metrics line continues its version.
            #expect(await learner.waitForLine(containing: "checkpoint written", seconds: 120), "\(learner.output)")
            let next = try #require(try metrics(metricsFile).dropFirst(linesBefore).first)
            #expect(next.parameterVersion == version + 1, "resumed at \(version), next line \(next.parameterVersion)")
        }
        // A graceful stop ends it with a final checkpoint.
        learner.process.terminate()
        #expect(await learner.waitForExit(seconds: 60) == 0, "\(learner.output)")
        for worker in workers {
            worker.process.terminate()
            _ = await worker.waitForExit(seconds: 30)
            // Welcomed by the first learner and again by restarted ones, without being restarted itself.
            #expect(worker.lines(containing: #""event":"welcomed""#).count >= 3, "\(worker.output)")
        }
        #expect(resumedVersions == resumedVersions.sorted() && resumedVersions.count == 4, "\(resumedVersions)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run).sorted() == sortedRunFiles)
        print("learner crashes: 4 kills, \(killsDuringWrite) during a checkpoint write, resumed at \(resumedVersions)")
    }

    /// What a run directory holds after a clean stop: no partial or previous checkpoint.
    let sortedRunFiles = ["checkpoint", "learner-config.json", "metrics.jsonl", "questions.jsonl"]

    private func metrics(_ path: String) throws -> [StepMetrics] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try StepMetrics.decoder.decode(StepMetrics.self, from: Data($0.utf8))
        }
    }
}
