import Foundation
import Testing
import VRRecords
import VRTasks
import VRWorker

@testable import VRExperiment

/// A pool is sampled in parts, each kept when it finishes: an interrupted pool continues at its unfinished part.
@Suite("trace pool parts")
struct PoolPartsTests {
    /// 150 questions: two parts, of 100 and 50.
    static let questions = TaskDataset(
        items: (0..<150).map { index in
            TaskItem(
                id: "q\(index)", family: nil, question: "\(index)+1=?", referenceThought: "",
                referenceSolution: "", finalAnswer: "\(index + 1)", difficulty: 1, verifier: .numeric)
        })
    static let source = PoolSource(proposal: .hintedPosterior, hint: .workedSolution)

    /// A run directory and a stage whose `vr build-data` is `/bin/false`: any part it samples fails.
    func stage() throws -> (directory: String, stage: TracePoolStage, lines: LockedLines) {
        let directory = NSTemporaryDirectory() + "vr-pool-parts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/pools", withIntermediateDirectories: true)
        let configuration = ExperimentConfiguration(
            name: "e", tasks: [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)],
            arms: [ArmConfiguration(name: "a", method: .variational)])
        let lines = LockedLines()
        let stage = TracePoolStage(
            directory: directory, configuration: configuration,
            launcher: DaemonLauncher(executable: URL(fileURLWithPath: "/bin/false")), progress: lines.append)
        return (directory, stage, lines)
    }

    /// Writes part `part` (from 1) as an earlier invocation would have left it, with a cost of `seconds`, sampled
    /// on `machine`.
    func writePart(_ part: Int, in directory: String, seconds: Double, machine: String? = nil) throws {
        let stem = directory + "/pools/q-seed-1.part-\(part)"
        let items = Self.questions.items[((part - 1) * 100)..<min(part * 100, 150)]
        let pooled = items.map { PooledQuestion(questionID: $0.id, traces: [TracePoolTests.trace(correct: 1)]) }
        try TracePool.write(pooled, to: stem + ".jsonl")
        let record = PoolRun(
            source: "q", seed: 1_000 + UInt64(part - 1) * 10, questions: pooled.count, traces: 1,
            sampledTokens: 9 * pooled.count, wallSeconds: seconds, machine: machine)
        try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: stem + ".run.json"))
    }

    @Test("finished parts are not sampled again; the pool is assembled in order with their summed cost and machines")
    func assembled() throws {
        let (directory, stage, lines) = try stage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writePart(1, in: directory, seconds: 30, machine: "AMD EPYC, 2 cores")
        try writePart(2, in: directory, seconds: 12.5, machine: "Intel Xeon, 2 cores")
        let pooled = try stage.sample(
            Self.source, traces: 1, seed: 1, questions: Self.questions, reasoning: "pi", posterior: "q")
        #expect(pooled.map(\.questionID) == Self.questions.items.map(\.id))
        #expect(lines.all.contains("trace pool q, seed 1, part 2 of 2: sampled earlier"))
        let records = stage.records()
        #expect(
            records == [
                PoolRun(
                    source: "q", seed: 1, questions: 150, traces: 1, sampledTokens: 1350, wallSeconds: 42.5,
                    machine: "AMD EPYC, 2 cores; Intel Xeon, 2 cores")
            ])
        // The parts are gone; the pool reads back.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory + "/pools").sorted()
        #expect(left == ["q-seed-1.jsonl", "q-seed-1.run.json"])
        #expect(
            try TracePool.read(
                from: directory + "/pools/q-seed-1.jsonl", questionIDs: Self.questions.items.map(\.id), traceCount: 1)
                == pooled)
    }

    @Test("a pool's machine: the one its parts share, each in order of first appearance, or none recorded")
    func machines() {
        #expect(RunMachine.joined(["A", "A"]) == "A")
        #expect(RunMachine.joined(["B", "A", "B"]) == "B; A")
        #expect(RunMachine.joined(["A", nil, "A"]) == "A; not recorded")
        #expect(RunMachine.joined([nil, nil]) == nil)
    }

    @Test("the records keep each finished part, then the assembled pool in their place")
    func keptWithRecords() throws {
        var (directory, stage, _) = try stage()
        let records = directory + "-records"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: records)
        }
        let kept = RunRecords(runDirectory: directory, recordsDirectory: records)
        stage.keepRecords = { try kept.keep() }
        try writePart(1, in: directory, seconds: 30)
        #expect(throws: RunError.self) {
            try stage.sample(
                Self.source, traces: 1, seed: 1, questions: Self.questions, reasoning: "pi", posterior: "q")
        }
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: records + "/pools"))
                == ["q-seed-1.part-1.jsonl", "q-seed-1.part-1.run.json"])
        try writePart(2, in: directory, seconds: 12.5)
        _ = try stage.sample(
            Self.source, traces: 1, seed: 1, questions: Self.questions, reasoning: "pi", posterior: "q")
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: records + "/pools"))
                == ["q-seed-1.jsonl", "q-seed-1.run.json"])
    }

    @Test("an unfinished part is sampled again and its failure named, the finished part kept")
    func unfinishedPart() throws {
        let (directory, stage, lines) = try stage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writePart(1, in: directory, seconds: 30)
        #expect(throws: RunError.self) {
            try stage.sample(
                Self.source, traces: 1, seed: 1, questions: Self.questions, reasoning: "pi", posterior: "q")
        }
        #expect(lines.all.contains("trace pool q, seed 1, part 1 of 2: sampled earlier"))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory + "/pools"))
        #expect(
            left.isSuperset(of: ["q-seed-1.part-1.jsonl", "q-seed-1.part-1.run.json", "q-seed-1.part-2.tasks.jsonl"]))
        #expect(!left.contains("q-seed-1.jsonl"))
        // Part records are not the pool's.
        #expect(stage.records().isEmpty)
    }
}

/// Progress lines collected from any thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var all: [String] { lock.withLock { lines } }
}
