// A learner and its workers as child processes on loopback (the demo's and the experiment's training runs), with
// progress from the learner's structured log: its step events, read from its output as they come.

import ArgumentParser
import Foundation
import VRLearner
import VRRecords
import VRWire

/// Starts `vr learner` and `workerCount` `vr worker` processes of this binary and waits for the learner.
struct LearnerCluster {
    /// Where the logs, the endpoints file and the learner's run directory (`learner/`) go.
    let directory: String
    /// The training tasks, read by the learner and the workers.
    let tasks: String
    /// Worker processes.
    let workerCount: Int

    /// The learner's run directory.
    var learnerRun: String { directory + "/learner" }

    /// Trains until the learner has taken its configuration's model-phase steps, reporting progress every 10 s.
    /// - Parameters:
    ///   - configuration: the learner's settings, written to `learner.json` in `directory` for `vr learner --config`.
    ///   - learnerOptions: `vr learner` options besides the configuration, tasks, run directory and endpoints: the
    ///     checkpoints and the hint.
    ///   - workerOptions: `vr worker` options besides the tasks, endpoints and identity.
    ///   - workerSeed: the first worker's seed; worker i uses workerSeed + i.
    /// - Returns: the metrics of every step, as the learner reported them.
    /// - Throws: `ValidationError` quoting the log of a learner that failed.
    @discardableResult
    func train(
        _ configuration: LearnerConfiguration, learnerOptions: [String], workerOptions: [String] = [],
        workerSeed: UInt64 = 0
    ) throws -> [StepMetrics] {
        var configuration = configuration
        // The learner and every worker share this machine's cores: with a pretrained model everything is slow, and
        // a slow worker is not a lost one.
        configuration.policy.workerTimeout = .seconds(60)
        let configurationFile = directory + "/learner.json"
        try Data((jsonLine(configuration) + "\n").utf8).write(
            to: URL(fileURLWithPath: configurationFile), options: .atomic)
        let modelSteps = configuration.modelSteps
        let endpoints = directory + "/endpoints.json"
        try? FileManager.default.removeItem(atPath: endpoints)
        let learnerLog = directory + "/learner.log"
        let output = try LearnerOutput(log: learnerLog)
        let learner = try launchChild(
            [
                "learner", "--config", configurationFile, "--tasks", tasks, "--run", learnerRun,
                "--request-endpoint", "tcp://127.0.0.1:*", "--publish-endpoint", "tcp://127.0.0.1:*",
                "--endpoints-file", endpoints, "--json",
            ] + learnerOptions, log: learnerLog, output: output.pipe)
        defer { if learner.isRunning { learner.terminate() } }
        while !FileManager.default.fileExists(atPath: endpoints) {
            guard learner.isRunning else { throw childFailure("the learner stopped", log: learnerLog) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let workers = try (1...workerCount).map { index in
            try launchChild(
                [
                    "worker", "--tasks", tasks, "--endpoints-file", endpoints, "--id", "worker-\(index)",
                    "--seed", "\(workerSeed &+ UInt64(index))", "--learner-gone-seconds", "60",
                ] + workerOptions, log: directory + "/worker-\(index).log")
        }
        defer { for worker in workers where worker.isRunning { worker.terminate() } }
        printProgress(
            "learner and \(workerCount) workers started; logs in \(directory)/*.log, metrics in \(learnerRun)")
        var lastReport = Date.distantPast
        var reportedSteps = 0
        while learner.isRunning {
            Thread.sleep(forTimeInterval: 0.5)
            let steps = output.stepMetrics
            guard Date().timeIntervalSince(lastReport) >= 10, let metrics = steps.last, metrics.step > reportedSteps
            else { continue }
            lastReport = Date()
            reportedSteps = metrics.step
            let modelStep = steps.count { $0.phase == RolloutPhase.model.rawValue }
            let remaining = Double(modelSteps - modelStep) * metrics.elapsedSeconds / Double(max(modelStep, 1))
            printProgress(
                "model step \(modelStep)/\(modelSteps), version \(metrics.parameterVersion), trace accuracy "
                    + "\(decimal(metrics.meanAccuracy, 2)), \(decimal(metrics.rolloutsPerSecond, 0)) rollouts/s, "
                    + "\(Int(metrics.elapsedSeconds))s elapsed, about \(Int(remaining))s to go")
        }
        output.waitUntilClosed()
        guard learner.terminationStatus == 0 else { throw childFailure("the learner failed", log: learnerLog) }
        if let last = output.lastLine { printProgress(last) }
        return output.stepMetrics
    }
}
