import Foundation
import Testing

/// Learner and worker processes over loopback TCP: the daemons users launch, end to end.
@Suite("loopback cluster", .serialized)
struct LoopbackClusterTests {
    @Test("[E9] two workers get the initial parameters, both train, versions reach them, a late joiner catches up")
    func twoWorkersAndLateJoiner() async throws {
        let fixture = try ClusterFixture(name: "cluster")
        // Runs until stopped: SIGTERM ends it after the current step, with a final checkpoint.
        let learner = try fixture.learner(run: "run", modelSteps: 100_000)
        let first = try await fixture.worker("w1")
        let second = try await fixture.worker("w2")
        // The late joiner starts once the learner has moved past its first versions.
        #expect(await learner.waitForLine(containing: "step 4 ", seconds: 120), "\(learner.output)")
        let late = try await fixture.worker("w3")
        #expect(await late.waitForLine(containing: #""status":"accepted""#, seconds: 120), "\(late.output)")
        #expect(await learner.waitForLine(containing: "step 12 ", seconds: 120), "\(learner.output)")
        learner.process.terminate()
        let status = await learner.waitForExit(seconds: 60)
        #expect(status == 0, "learner: \(learner.output)")
        #expect(!learner.lines(containing: "checkpoint written").isEmpty, "\(learner.output)")
        for worker in [first, second, late] { _ = await worker.waitForExit(seconds: 30) }

        for worker in [first, second] {
            // The first parameters come as a snapshot on joining, later ones as broadcasts.
            let firstApplied = worker.lines(containing: #""event":"applied""#).first ?? ""
            #expect(firstApplied.contains(#""via":"snapshot""#), "\(worker.output)")
            #expect(!worker.lines(containing: #""status":"accepted""#).isEmpty, "\(worker.output)")
            #expect(!worker.lines(containing: #""via":"broadcast""#).isEmpty, "\(worker.output)")
        }
        // The late joiner's first parameters are a snapshot of a later version, fetched on request.
        let lateSnapshot = late.lines(containing: #""event":"applied""#).first ?? ""
        #expect(
            lateSnapshot.contains(#""via":"snapshot""#) && !lateSnapshot.contains(#""version":"1","#), "\(late.output)")
        let versions = try versions(in: fixture.directory + "/run/metrics.jsonl")
        #expect(versions == Array(2..<(2 + versions.count)) && versions.count >= 12, "\(versions)")
        #expect(FileManager.default.fileExists(atPath: fixture.directory + "/run/checkpoint/learner.json"))
    }

    @Test("a worker killed mid-batch has its questions handed out again, and the run finishes")
    func killedWorker() async throws {
        let fixture = try ClusterFixture(name: "killed", closesThoughtsAtOnce: true)
        let learner = try fixture.learner(run: "run", modelSteps: 3, workerTimeout: 2)
        // Answers follow finished traces, and pi and q close their thoughts at once: many answers per trace make this
        // worker's batches slow (about a second, since a trace's answers share one prefill), so the kill lands while
        // it samples.
        let doomed = try await fixture.worker("doomed", extra: ["--answers-per-trace", "8192"])
        #expect(await doomed.waitForLine(containing: #""event":"assigned""#, seconds: 60), "\(doomed.output)")
        doomed.kill()
        let survivor = try await fixture.worker("survivor")
        #expect(await learner.waitForLine(containing: "worker doomed lost", seconds: 60), "\(learner.output)")
        let status = await learner.waitForExit(seconds: 180)
        #expect(status == 0, "learner: \(learner.output)")
        _ = await survivor.waitForExit(seconds: 30)
        let lost = learner.lines(containing: "worker doomed lost").first ?? ""
        #expect(!lost.contains("; 0 questions"), "\(lost)")
        #expect(doomed.lines(containing: #""event":"batch""#).isEmpty, "the doomed worker finished a batch")
        #expect(!survivor.lines(containing: #""status":"accepted""#).isEmpty, "\(survivor.output)")
    }

    @Test("a learner resumed from its checkpoint continues its versions, steps and question order")
    func resume() async throws {
        let fixture = try ClusterFixture(name: "resume")
        let first = try fixture.learner(run: "run", modelSteps: 2, log: "first.log")
        let worker = try await fixture.worker("w1")
        #expect(await first.waitForExit(seconds: 120) == 0, "\(first.output)")
        worker.process.terminate()
        let versionsBefore = try versions(in: fixture.directory + "/run/metrics.jsonl")
        let second = try fixture.learner(run: "run", modelSteps: 4, extra: ["--resume"], log: "second.log")
        let again = try await fixture.worker("w2")
        #expect(await second.waitForExit(seconds: 120) == 0, "\(second.output)")
        again.process.terminate()
        let versionsAfter = try versions(in: fixture.directory + "/run/metrics.jsonl")
        let lastBefore = try #require(versionsBefore.last)
        #expect(
            !second.lines(containing: "resuming at version \(lastBefore) after 2 model steps").isEmpty,
            "\(second.output)")
        // One metrics file across both runs, versions counting on without a restart.
        #expect(Array(versionsAfter.prefix(versionsBefore.count)) == versionsBefore)
        #expect(versionsAfter == Array(2..<(2 + versionsAfter.count)) && versionsAfter.count > versionsBefore.count)
        #expect(second.lines(containing: "finished: version").first?.contains("4 model") == true, "\(second.output)")
    }

    private func versions(in path: String) throws -> [Int] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["parameterVersion"] as? Int
        }
    }
}
