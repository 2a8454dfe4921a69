import Foundation
import VRModel
import VRTasks

/// A `vr` process started by a test, with its output captured in a file.
final class VRProcess {
    /// The `vr` binary built beside the test bundle.
    static var binary: String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return directory.appendingPathComponent("vr").path
    }

    let process = Process()
    let logPath: String

    /// Starts `vr arguments...` (or another executable), with output going to `logPath`.
    init(
        executable: String = VRProcess.binary, _ arguments: [String],
        environment extraEnvironment: [String: String] = [:],
        log logPath: String
    ) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["VR_THREADS"] = "1"
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The output so far.
    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Output lines that contain `text`.
    func lines(containing text: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    /// Waits until the output has a line containing `text`.
    /// - Returns: whether it appeared within `seconds`.
    func waitForLine(containing text: String, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !lines(containing: text).isEmpty { return true }
            if !process.isRunning { return !lines(containing: text).isEmpty }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Waits for the process to exit.
    /// - Returns: its exit status, or nil if it was still running after `seconds` (it is then terminated).
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !process.isRunning { return process.terminationStatus }
            try? await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        return nil
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A directory with a task file and tiny pi and q checkpoints for cluster tests.
struct ClusterFixture {
    let directory: String
    var tasks: String { directory + "/tasks.jsonl" }
    var reasoning: String { directory + "/pi" }
    var posterior: String { directory + "/q" }

    /// Creates the directory and its files.
    /// - Parameters:
    ///   - name: names the directory.
    ///   - closesThoughtsAtOnce: whether pi and q are trained to close every thought at once, so that every trace
    ///     is finished and has answers sampled after it; else they are random.
    init(name: String, closesThoughtsAtOnce: Bool = false) throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("vr-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dataset = try InProcessClusterTests.dataset()
        try dataset.write(to: tasks)
        let models = try InProcessClusterTests.models(for: dataset, closesThoughtsAtOnce: closesThoughtsAtOnce)
        for (path, model) in [(reasoning, models.reasoning), (posterior, models.posterior)] {
            try Checkpoint.write(configuration: model.configuration, parameters: model.parameters, to: path)
        }
    }

    /// Starts a learner bound to free loopback ports (unless `extra` names endpoints); its endpoints land in
    /// `endpoints`.
    func learner(
        run: String, modelSteps: Int, workerTimeout: Int = 5, extra: [String] = [], log: String = "learner.log"
    ) throws -> VRProcess {
        try VRProcess(
            learnerArguments(run: run, modelSteps: modelSteps, workerTimeout: workerTimeout, extra: extra),
            log: directory + "/" + log)
    }

    /// The `vr learner` arguments of `learner(run:modelSteps:workerTimeout:extra:log:)`; removes the endpoints
    /// file of an earlier learner. Later options in `extra` override earlier ones.
    func learnerArguments(run: String, modelSteps: Int, workerTimeout: Int = 5, extra: [String] = []) -> [String] {
        try? FileManager.default.removeItem(atPath: endpoints)
        return [
            "learner", "--tasks", tasks, "--run", directory + "/" + run, "--reasoning", reasoning,
            "--posterior", posterior, "--request-endpoint", "tcp://127.0.0.1:*", "--publish-endpoint",
            "tcp://127.0.0.1:*", "--endpoints-file", endpoints, "--model-steps", "\(modelSteps)",
            "--questions-per-step", "2", "--traces", "2", "--prior-traces", "2", "--questions-per-assignment", "1",
            "--worker-timeout", "\(workerTimeout)",
        ] + extra
    }

    /// Starts a worker once the learner's endpoints are known.
    func worker(_ name: String, extra: [String] = []) async throws -> VRProcess {
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: endpoints) {
            try await Task.sleep(for: .milliseconds(100))
        }
        return try VRProcess(
            [
                "worker", "--tasks", tasks, "--endpoints-file", endpoints, "--id", name, "--json",
                "--max-trace-tokens", "6", "--answers-per-trace", "1", "--learner-gone-seconds", "3",
            ] + extra, log: directory + "/\(name).log")
    }

    var endpoints: String { directory + "/endpoints.json" }
}
