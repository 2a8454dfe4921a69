// The demo's distributed part: `vr learner` and `vr worker` processes on loopback, with progress from metrics.

import ArgumentParser
import Foundation
import VRLearner

/// Starts the learner and workers as child processes of this `vr` binary and waits for the learner.
struct DemoCluster {
    let run: String
    let tasks: String
    let workerCount: Int

    /// Trains from the given checkpoints until the learner finishes `modelSteps` model-phase steps.
    func train(reasoning: String, posterior: String, modelSteps: Int) throws {
        let learnerRun = run + "/learner"
        let endpoints = run + "/endpoints.json"
        let learner = try launchChild(
            [
                "learner", "--tasks", tasks, "--run", learnerRun, "--reasoning", reasoning, "--posterior", posterior,
                "--request-endpoint", "tcp://127.0.0.1:*", "--publish-endpoint", "tcp://127.0.0.1:*",
                "--endpoints-file", endpoints, "--model-steps", "\(modelSteps)", "--learning-rate", "5e-4",
                "--posterior-learning-rate", "1e-4",
            ], log: run + "/learner.log")
        defer { if learner.isRunning { learner.terminate() } }
        while !FileManager.default.fileExists(atPath: endpoints) {
            guard learner.isRunning else { throw childFailure("the learner stopped", log: run + "/learner.log") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let workers = try (1...workerCount).map { index in
            try launchChild(
                [
                    "worker", "--tasks", tasks, "--endpoints-file", endpoints, "--id", "demo-worker-\(index)",
                    "--seed", "\(index)", "--learner-gone-seconds", "5",
                ], log: run + "/worker-\(index).log")
        }
        defer { for worker in workers where worker.isRunning { worker.terminate() } }
        printProgress("learner and \(workerCount) workers started; logs in \(run)/*.log, metrics in \(learnerRun)")
        var lastReport = Date.distantPast
        while learner.isRunning {
            Thread.sleep(forTimeInterval: 0.5)
            guard Date().timeIntervalSince(lastReport) >= 10, let metrics = latestMetrics(learnerRun) else { continue }
            lastReport = Date()
            let modelStep = metrics.phase == "model" ? metrics.step / 2 : (metrics.step + 1) / 2
            let remaining = Double(modelSteps - modelStep) * metrics.elapsedSeconds / Double(max(modelStep, 1))
            printProgress(
                "model step \(modelStep)/\(modelSteps), version \(metrics.parameterVersion), trace accuracy "
                    + "\(decimal(metrics.meanAccuracy, 2)), \(decimal(metrics.rolloutsPerSecond, 0)) rollouts/s, "
                    + "\(Int(metrics.elapsedSeconds))s elapsed, about \(Int(remaining))s to go")
        }
        guard learner.terminationStatus == 0 else {
            throw childFailure("the learner failed", log: run + "/learner.log")
        }
        if let last = try? String(contentsOfFile: run + "/learner.log", encoding: .utf8)
            .split(separator: "\n").last
        {
            printProgress(String(last))
        }
    }

    /// The newest line of the learner's metrics file.
    private func latestMetrics(_ learnerRun: String) -> StepMetrics? {
        guard let text = try? String(contentsOfFile: learnerRun + "/metrics.jsonl", encoding: .utf8),
            let line = text.split(separator: "\n").last
        else { return nil }
        return try? JSONDecoder().decode(StepMetrics.self, from: Data(line.utf8))
    }
}
