import Foundation
import Testing
import VRLearner
import VRModel

/// `vr learner` under `mpirun` as two ranks beside two workers on loopback: the ranks train together and agree, a
/// rank that dies ends the job naming it, and a restart with another number of ranks resumes from the checkpoint.
/// Skipped, saying why, where Open MPI's `mpirun` is missing or cannot start two processes.
@Suite("MPI learner", .serialized, .enabled(if: MPILauncher.unavailableReason == nil, "\(MPILauncher.skipNote)"))
struct MPILearnerTests {
    @Test("two ranks train with two workers; they compare parameters every step and finish together")
    func twoRanksTrain() async throws {
        let fixture = try ClusterFixture(name: "mpi", closesThoughtsAtOnce: true)
        let learner = try MPILauncher.learner(
            ranks: 2,
            fixture.learnerArguments(
                run: "run", modelSteps: 6, extra: ["--rank-check-every", "1", "--checkpoint-every", "2"]),
            log: fixture.directory + "/learner.log")
        let workers = [try await fixture.worker("w1"), try await fixture.worker("w2")]
        #expect(await learner.waitForExit(seconds: 240) == 0, "\(learner.output)")
        for worker in workers { _ = await worker.waitForExit(seconds: 30) }
        #expect(!learner.lines(containing: "rank 1 of 2 (pid").isEmpty, "\(learner.output)")
        #expect(!learner.lines(containing: "rank 1 of 2: finished").isEmpty, "\(learner.output)")
        #expect(!learner.lines(containing: "rank 0 of 2 (pid").isEmpty, "\(learner.output)")
        let steps = try String(contentsOfFile: fixture.directory + "/run/metrics.jsonl", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("\"phase\":\"model\"") }
        #expect(steps.count == 6, "\(learner.output)")
        // Every step was split: rank 1 trained its share, which the summed gradient carried.
        #expect(learner.lines(containing: "step skipped").isEmpty, "\(learner.output)")
    }

    @Test("SIGTERM to rank 0 ends the job cleanly: the step finishes, a final checkpoint, every rank exits 0")
    func stopAtRankZero() async throws {
        let fixture = try ClusterFixture(name: "mpi-stop", closesThoughtsAtOnce: true)
        let run = fixture.directory + "/run"
        let learner = try MPILauncher.learner(
            ranks: 2, fixture.learnerArguments(run: "run", modelSteps: 1_000, extra: ["--checkpoint-every", "1000"]),
            log: fixture.directory + "/learner.log")
        let workers = [try await fixture.worker("w1"), try await fixture.worker("w2")]
        let steps = run + "/metrics.jsonl"
        func modelSteps() -> Int {
            let text = (try? String(contentsOfFile: steps, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("\"phase\":\"model\"") }.count
        }
        for _ in 0..<1_200 where modelSteps() < 2 { try await Task.sleep(for: .milliseconds(100)) }
        #expect(modelSteps() >= 2, "\(learner.output)")
        // mpirun itself would pass SIGTERM on and kill the ranks a second later; deployments signal rank 0.
        let rankZero = try #require(
            learner.lines(containing: "rank 0 of 2 (pid ").first.flatMap { line in
                line.split(separator: "(pid ").last?.split(separator: ")").first.flatMap { Int32($0) }
            }, "\(learner.output)")
        kill(rankZero, SIGTERM)
        #expect(await learner.waitForExit(seconds: 120) == 0, "\(learner.output)")
        #expect(!learner.lines(containing: "rank 1 of 2: finished").isEmpty, "\(learner.output)")
        let onDisk = try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
        #expect(onDisk.progress.modelSteps == modelSteps(), "\(learner.output)")
        for worker in workers {
            worker.process.terminate()
            _ = await worker.waitForExit(seconds: 30)
        }
    }

    @Test("a rank killed mid-run ends the job naming it; a one-process restart resumes from the checkpoint")
    func deadRankAndRestart() async throws {
        let fixture = try ClusterFixture(name: "mpi-fault", closesThoughtsAtOnce: true)
        let run = fixture.directory + "/run"
        let learner = try MPILauncher.learner(
            ranks: 2,
            fixture.learnerArguments(run: "run", modelSteps: 1_000, extra: ["--checkpoint-every", "1"]),
            log: fixture.directory + "/learner-mpi.log")
        let workers = [
            try await fixture.worker("w1", extra: ["--learner-gone-seconds", "0"]),
            try await fixture.worker("w2", extra: ["--learner-gone-seconds", "0"]),
        ]
        let endpoints = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: URL(fileURLWithPath: fixture.endpoints)))
        #expect(await learner.waitForLine(containing: "checkpoint written", seconds: 120), "\(learner.output)")
        let follower = try #require(
            learner.lines(containing: "rank 1 of 2 (pid ").first.flatMap { line in
                line.split(separator: "(pid ").last?.split(separator: ")").first.flatMap { Int32($0) }
            }, "\(learner.output)")
        kill(follower, SIGKILL)
        // mpirun ends the job and names the rank that died.
        let status = await learner.waitForExit(seconds: 60)
        #expect(status != nil && status != 0, "\(learner.output)")
        #expect(learner.output.contains("rank 1"), "\(learner.output)")
        let onDisk = try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
        // Checkpoints follow steps of either phase: at least the first step is on disk.
        #expect(onDisk.progress.parameterVersion >= 2)
        // Restarted as one process on the same endpoints: it resumes, and the workers come back by themselves.
        let restarted = try VRProcess(
            fixture.learnerArguments(
                run: "run", modelSteps: 1_000,
                extra: [
                    "--resume", "--request-endpoint", endpoints["request"] ?? "", "--publish-endpoint",
                    endpoints["publish"] ?? "",
                ]), log: fixture.directory + "/learner-restarted.log")
        #expect(
            await restarted.waitForLine(
                containing: "resuming at version \(onDisk.progress.parameterVersion) after "
                    + "\(onDisk.progress.modelSteps) model steps", seconds: 60), "\(restarted.output)")
        for worker in workers {
            // Welcomed by the learner of two ranks, then by the restarted one.
            var welcomed = 0
            for _ in 0..<900 {
                welcomed = worker.lines(containing: #""event":"welcomed""#).count
                if welcomed >= 2 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(welcomed >= 2, "\(worker.output)")
        }
        restarted.process.terminate()
        #expect(await restarted.waitForExit(seconds: 60) == 0, "\(restarted.output)")
        for worker in workers {
            worker.process.terminate()
            _ = await worker.waitForExit(seconds: 30)
        }
    }
}

extension MPILearnerTests {
    @Test("[E4] [E8] [E10] through MPI, 2 ranks end 3 posterior and 3 model steps where one process does")
    func twoRanksEqualOneProcess() async throws {
        let fixture = try ClusterFixture(name: "mpi-equal")
        let bench = ["bench", "--suite", "learner", "--model", fixture.reasoning, "--steps", "2", "--save-parameters"]
        let one = try VRProcess(bench + [fixture.directory + "/one.bin"], log: fixture.directory + "/one.log")
        #expect(await one.waitForExit(seconds: 300) == 0, "\(one.output)")
        let two = try MPILauncher.learner(
            ranks: 2, bench + [fixture.directory + "/two.bin"], log: fixture.directory + "/two.log")
        #expect(await two.waitForExit(seconds: 300) == 0, "\(two.output)")
        #expect(!two.lines(containing: "2 rank(s) of 1 thread(s)").isEmpty, "\(two.output)")
        func parameters(_ name: String) throws -> [Float] {
            let data = try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/" + name))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        let (whole, split) = (try parameters("one.bin"), try parameters("two.bin"))
        #expect(whole.count == split.count && !whole.isEmpty)
        // The split sums each gradient in another order: a few float32 roundings of the parameters' scale, far
        // below one step's change (the learning rate, 5e-4 at most).
        let tolerance: Float = 1e-5
        let difference = zip(whole, split).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= tolerance, "largest parameter difference \(difference)")
        // And the steps trained: pi moved from its checkpoint by more than the tolerance.
        let initial = try Transformer(checkpointAt: fixture.reasoning).parameters.array
        let moved = zip(initial, whole).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 10 * tolerance, "pi moved by at most \(moved)")
    }
}

/// Starts `vr` under Open MPI's `mpirun` on this machine.
enum MPILauncher {
    /// `mpirun` on the PATH, if any.
    static let mpirun: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Why MPI cannot be used here, or nil when `mpirun -n 2` starts two processes.
    static let unavailableReason: String? = {
        guard let mpirun else { return "mpirun is not on the PATH (Debian's openmpi-bin)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = options(ranks: 2) + ["true"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "mpirun cannot be started: \(error)" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : "mpirun -n 2 true exited with \(process.terminationStatus)"
    }()

    static var skipNote: Comment { Comment(rawValue: "skipped: \(unavailableReason ?? "")") }

    /// Open MPI refuses to run as root unless told that it is meant.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        return environment
    }

    /// Two ranks may share the cores of this machine, each with one compute thread.
    static func options(ranks: Int) -> [String] {
        ["-n", "\(ranks)", "--oversubscribe", "--bind-to", "none", "-x", "VR_THREADS=1"]
    }

    /// Starts `vr arguments` as `ranks` ranks.
    static func learner(ranks: Int, _ arguments: [String], log: String) throws -> VRProcess {
        try VRProcess(
            executable: mpirun ?? "mpirun", options(ranks: ranks) + [VRProcess.binary] + arguments,
            environment: environment, log: log)
    }
}
