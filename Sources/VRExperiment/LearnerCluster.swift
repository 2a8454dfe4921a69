// A learner and its workers as child processes on loopback (the demo's and the experiment's training runs), started
// from configurations written to the run directory, with progress from the learner's structured log: its step
// events, read from its output as they come.

import Foundation
import VRCore
import VRLearner
import VRModel
import VRRecords
import VRText
import VRWorker

/// Starts `vr learner` and `workerCount` `vr worker` processes and waits for the learner.
public struct LearnerCluster: Sendable {
    /// The checkpoints and prompts the learner and its workers share.
    public struct Models: Sendable, Equatable {
        /// pi's initial checkpoint.
        public var reasoning: String
        /// q's initial checkpoint.
        public var posterior: String
        /// The model whose tokenizer and chat format both use; the byte tokenizer when nil.
        public var tokenizer: String?
        /// What q's prompt gives away.
        public var hint: TemplateConfiguration.Hint

        /// The models of a run.
        public init(
            reasoning: String, posterior: String, tokenizer: String? = nil,
            hint: TemplateConfiguration.Hint = .workedSolution
        ) {
            self.reasoning = reasoning
            self.posterior = posterior
            self.tokenizer = tokenizer
            self.hint = hint
        }
    }

    /// Where the configurations, logs, the endpoints file and the learner's run directory (`learner/`) go.
    public let directory: String
    /// The training tasks, read by the learner and the workers.
    public let tasks: String
    /// Worker processes.
    public let workerCount: Int
    /// What starts the processes.
    public let launcher: DaemonLauncher
    /// Receives a progress line every 10 s, and one when the learner finishes.
    public let progress: @Sendable (String) -> Void

    /// A cluster; nothing starts until `train`.
    public init(
        directory: String, tasks: String, workerCount: Int, launcher: DaemonLauncher,
        progress: @escaping @Sendable (String) -> Void
    ) {
        self.directory = directory
        self.tasks = tasks
        self.workerCount = workerCount
        self.launcher = launcher
        self.progress = progress
    }

    /// The learner's run directory.
    public var learnerRun: String { directory + "/learner" }

    /// Trains until the learner has taken its configuration's model-phase steps.
    /// - Parameters:
    ///   - models: the initial checkpoints and the prompts.
    ///   - learner: the learner's settings, written to `learner.json` for `vr learner --config`.
    ///   - worker: the workers' settings, written to `worker-I.json` for `vr worker --config`; worker I's seed is
    ///     `worker.seed + I`.
    /// - Returns: the metrics of every step, as the learner reported them.
    /// - Throws: `RunError` quoting the log of a learner that failed.
    @discardableResult
    public func train(
        _ models: Models, learner: LearnerConfiguration, worker: WorkerConfiguration = WorkerConfiguration()
    ) throws -> [StepMetrics] {
        var learner = learner
        // The learner and every worker share this machine's cores: with a pretrained model everything is slow, and
        // a slow worker is not a lost one.
        learner.policy.workerTimeout = .seconds(60)
        let learnerConfiguration = directory + "/learner.json"
        try write(learner, to: learnerConfiguration)
        let modelSteps = learner.modelSteps
        let endpoints = directory + "/endpoints.json"
        try? FileManager.default.removeItem(atPath: endpoints)
        let learnerLog = directory + "/learner.log"
        let output = try LearnerOutput(log: learnerLog)
        let hint = ["--hint", models.hint.rawValue]
        let tokenizer = models.tokenizer.map { ["--tokenizer", $0] } ?? []
        let learnerProcess = try launcher.launch(
            [
                "learner", "--config", learnerConfiguration, "--tasks", tasks, "--run", learnerRun,
                "--request-endpoint", "tcp://127.0.0.1:*", "--publish-endpoint", "tcp://127.0.0.1:*",
                "--endpoints-file", endpoints, "--json", "--reasoning", models.reasoning, "--posterior",
                models.posterior,
            ] + tokenizer + hint, log: learnerLog, output: output.pipe)
        defer { if learnerProcess.isRunning { learnerProcess.terminate() } }
        while !FileManager.default.fileExists(atPath: endpoints) {
            guard learnerProcess.isRunning else { throw RunError.child("the learner stopped", log: learnerLog) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let workers = try (1...workerCount).map { index in
            var configuration = worker
            configuration.seed = worker.seed &+ UInt64(index)
            configuration.learnerGoneMilliseconds = 60_000
            let file = directory + "/worker-\(index).json"
            try write(configuration, to: file)
            return try launcher.launch(
                [
                    "worker", "--config", file, "--tasks", tasks, "--endpoints-file", endpoints, "--id",
                    "worker-\(index)",
                ] + tokenizer + hint, log: directory + "/worker-\(index).log")
        }
        defer { for worker in workers where worker.isRunning { worker.terminate() } }
        progress("learner and \(workerCount) workers started; logs in \(directory)/*.log, metrics in \(learnerRun)")
        var lastReport = Date.distantPast
        var reportedSteps = 0
        while learnerProcess.isRunning {
            Thread.sleep(forTimeInterval: 0.5)
            let steps = output.stepMetrics
            guard Date().timeIntervalSince(lastReport) >= 10, let metrics = steps.last, metrics.step > reportedSteps
            else { continue }
            lastReport = Date()
            reportedSteps = metrics.step
            let modelPhase = steps.filter { $0.phase == .model }
            let modelStep = modelPhase.count
            let remaining = Double(modelSteps - modelStep) * metrics.elapsedSeconds / Double(max(modelStep, 1))
            // The model phase's traces (q's, or pi's for RFT and GRPO); the posterior phase's steps report pi's.
            let accuracy = modelPhase.last.map { decimal($0.meanAccuracy, 2) } ?? "n/a"
            progress(
                "model step \(modelStep)/\(modelSteps), version \(metrics.parameterVersion), trace accuracy "
                    + "\(accuracy), \(decimal(metrics.rolloutsPerSecond, 0)) rollouts/s, "
                    + "\(Int(metrics.elapsedSeconds))s elapsed, about \(Int(remaining))s to go")
        }
        output.waitUntilClosed()
        guard learnerProcess.terminationStatus == 0 else { throw RunError.child("the learner failed", log: learnerLog) }
        if let last = output.lastLine { progress(last) }
        return output.stepMetrics
    }

    /// Writes a daemon's configuration as the JSON its `--config` option reads.
    private func write(_ configuration: some Encodable, to path: String) throws {
        try AtomicFile.write(Array(try prettyJSON(configuration)), to: path)
    }
}
