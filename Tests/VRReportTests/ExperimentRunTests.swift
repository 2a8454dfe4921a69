import Foundation
import Testing
import VRReport

/// Reading a run directory: bad input gives an error that names the file (and line), never a crash.
@Suite("reading a run directory")
final class ExperimentRunTests {
    let directory: URL

    init() throws {
        directory = try ReportFixture.writeRunDirectory()
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func readError() -> ReportError? {
        do {
            _ = try ExperimentRun.read(from: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test("a good run directory reads every file it names")
    func readsEverything() throws {
        let run = try ExperimentRun.read(from: directory)
        #expect(run.results == ReportFixture.results(arms: ReportFixture.allArms))
        #expect(run.configurationText == ReportFixture.configurationText)
        #expect(run.metricsByFile.count == 5)
        #expect(run.questionsByFile.count == 7)
        #expect(
            run.metrics(of: ReportFixture.variationalAcc.runs[0])?.map(\.phase) == [
                .posterior, .model, .posterior, .model,
            ])
        #expect(run.questions(of: ReportFixture.sft.runs[0]) == nil)
    }

    @Test("a results file that is not JSON names results.json")
    func resultsNotJSON() throws {
        try Data("not json {".utf8).write(to: directory.appendingPathComponent("results.json"))
        let error = try #require(readError())
        guard case .malformedFile(let path, _) = error else {
            Issue.record("expected a malformed file, got \(error)")
            return
        }
        #expect(path.hasSuffix("/results.json"))
        #expect(error.description.contains("results.json: malformed JSON"))
    }

    @Test("a malformed metrics line names the file and the line")
    func malformedMetricsLine() throws {
        let path = "arms/variational-acc/seed-2/metrics.jsonl"
        let lines = [ReportFixture.variationalMetrics[1][0], "{\"step\": 2, \"phase\": \"model\""]
        try Data(lines.joined(separator: "\n").utf8).write(to: directory.appendingPathComponent(path))
        let error = try #require(readError())
        guard case .malformedLine(let errorPath, let line, _) = error else {
            Issue.record("expected a malformed line, got \(error)")
            return
        }
        #expect(errorPath.hasSuffix(path))
        #expect(line == 2)
        #expect(error.description.contains("\(path), line 2: malformed JSON line"))
    }

    @Test("a question line without a field names the field")
    func missingField() throws {
        let path = "arms/grpo/seed-1/questions.jsonl"
        let line =
            "{\"step\":2,\"questionID\":\"q1\",\"family\":\"addition\",\"difficulty\":1,\"traces\":4,"
            + "\"traceAccuracy\":0.5,\"totalWeight\":1}"
        try Data(("\n" + line + "\n").utf8).write(to: directory.appendingPathComponent(path))
        let error = try #require(readError())
        #expect(error.description.contains("\(path), line 2: malformed JSON line: missing key \"effectiveWeight\""))
    }

    @Test("a missing referenced file names it")
    func missingFile() throws {
        let path = "arms/rft/seed-2/questions.jsonl"
        try FileManager.default.removeItem(at: directory.appendingPathComponent(path))
        let error = try #require(readError())
        #expect(error.description.hasSuffix("\(path): cannot read: no such file"))
    }

    @Test("a missing configuration file names it")
    func missingConfiguration() throws {
        try FileManager.default.removeItem(at: directory.appendingPathComponent("experiment.json"))
        let error = try #require(readError())
        #expect(error.description.contains("experiment.json: cannot read"))
    }

    @Test("an arm without runs is refused")
    func armWithoutRuns() throws {
        var empty = ReportFixture.sft
        empty.runs = []
        let results = ReportFixture.results(arms: [empty])
        try JSONEncoder().encode(results).write(to: directory.appendingPathComponent("results.json"))
        let error = try #require(readError())
        #expect(
            error
                == .invalidResults(
                    path: directory.appendingPathComponent("results.json").path,
                    reason: "arm \"sft\" has no runs"))
    }

    @Test("writing into a path that is a file names it")
    func unwritableOutput() throws {
        let blocker = directory.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let error = #expect(throws: ReportError.self) {
            try ExperimentReport.write(runDirectory: self.directory, outputDirectory: blocker)
        }
        #expect(error?.description.contains("blocker: cannot write") == true)
    }
}
