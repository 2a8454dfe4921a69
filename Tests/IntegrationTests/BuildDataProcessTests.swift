import Foundation
import Testing

/// `vr build-data` as users run it: a collecting learner and worker processes over loopback TCP.
@Suite("build-data processes", .serialized)
struct BuildDataProcessTests {
    @Test("[E4] with workers it starts itself, every question gets examples whose weights sum to 1")
    func localWorkers() async throws {
        let fixture = try ClusterFixture(name: "build-data")
        let output = fixture.directory + "/built.jsonl"
        let build = try VRProcess(
            arguments(fixture, output: output) + ["--workers", "2", "--selection", "weighted"],
            log: fixture.directory + "/build.log")
        #expect(await build.waitForExit(seconds: 180) == 0, "\(build.output)")
        #expect(!build.lines(containing: "collected 12/12 questions").isEmpty, "\(build.output)")
        let examples = try readExamples(output)
        let weightByPrompt = Dictionary(examples.map { ($0.prompt, $0.weight) }, uniquingKeysWith: +)
        #expect(weightByPrompt.count == 12)
        #expect(weightByPrompt.values.allSatisfy { abs($0 - 1) < 1e-9 }, "\(weightByPrompt.values)")
    }

    @Test("workers that connect by themselves do the sampling; each question is handed out once")
    func externalWorkers() async throws {
        let fixture = try ClusterFixture(name: "build-data-external")
        let output = fixture.directory + "/built.jsonl"
        let build = try VRProcess(
            arguments(fixture, output: output) + ["--workers", "0", "--endpoints-file", fixture.endpoints],
            log: fixture.directory + "/build.log")
        let workers = [try await fixture.worker("x1"), try await fixture.worker("x2")]
        #expect(await build.waitForExit(seconds: 180) == 0, "\(build.output)")
        for worker in workers { _ = await worker.waitForExit(seconds: 30) }
        let accepted = workers.map { $0.lines(containing: #""status":"accepted""#).count }
        #expect(accepted.reduce(0, +) == 12, "\(accepted)")
        let examples = try readExamples(output)
        #expect(Set(examples.map(\.prompt)).count == 12 && examples.count == 12)
        #expect(examples.allSatisfy { $0.weight == 1 })
    }

    private func arguments(_ fixture: ClusterFixture, output: String) -> [String] {
        [
            "build-data", "--tasks", fixture.tasks, "--posterior", fixture.posterior, "--reasoning", fixture.reasoning,
            "--output", output, "--traces", "2", "--max-trace-tokens", "6", "--answers-per-trace", "1",
            "--questions-per-assignment", "1", "--worker-timeout", "5",
        ]
    }

    private func readExamples(_ path: String) throws -> [(prompt: String, weight: Double)] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["prompt"] as? String), object["weight"] as? Double ?? 1)
        }
    }
}
