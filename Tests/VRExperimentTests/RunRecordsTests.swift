import Foundation
import Testing

@testable import VRExperiment

/// `vr experiment --records`: which files of a run directory are records, that they are kept and come back, and that
/// the run directory's own files win.
@Suite("experiment records")
struct RunRecordsTests {
    /// Files of a run directory: the records, then what is no record (checkpoints, a pool part's working files,
    /// an unfinished part, logs, an unfinished run).
    static let records = [
        "experiment.json", "results.json", "initial/evaluation.json", "initial/evaluation-greedy.json",
        "initial/base-model/evaluation.json", "pools/q-seed-1.run.json", "pools/q-seed-1.jsonl",
        "pools/pi0-seed-2.part-1.jsonl", "pools/pi0-seed-2.part-1.run.json", "arms/sft/seed-1/run.json",
        "arms/offline-acc/seed-1/run.json", "arms/offline-acc/seed-1/questions.jsonl", "arms/online/seed-1/run.json",
        "arms/online/seed-1/learner/metrics.jsonl", "arms/online/seed-1/learner/questions.jsonl",
    ]
    static let others = [
        "data/train.jsonl", "initial/pi/model.safetensors", "initial/pi/metrics.jsonl",
        "pools/pi0-seed-2.part-1.tasks.jsonl", "pools/pi0-seed-2.part-1.examples.jsonl", "pools/pi0-seed-2.part-1.log",
        "pools/pi0-seed-2.part-2.jsonl", "pools/pi0-seed-2.part-2.tasks.jsonl",
        "arms/sft/seed-1/checkpoint/model.safetensors", "arms/offline-acc/seed-1/data.jsonl",
        "arms/online/seed-1/learner/checkpoint/reasoning/model.safetensors", "arms/online/seed-1/learner.log",
        "arms/online/seed-2/learner/metrics.jsonl", "arms/online/seed-2/learner/questions.jsonl",
    ]

    private static func directory() -> String {
        NSTemporaryDirectory() + "vr-records-\(UUID().uuidString)"
    }

    private static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func files(under directory: String) -> Set<String> {
        let paths = FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []
        return Set(
            paths.filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            })
    }

    @Test("the records of finished work are kept; checkpoints, part working files, logs and unfinished runs are not")
    func keep() throws {
        let run = Self.directory()
        for path in Self.records + Self.others { try Self.write("content of \(path)", to: run + "/" + path) }
        let kept = Self.directory()
        try RunRecords(runDirectory: run, recordsDirectory: kept).keep()
        #expect(Self.files(under: kept) == Set(Self.records))
        for path in Self.records {
            #expect(FileManager.default.contents(atPath: kept + "/" + path) == Data("content of \(path)".utf8))
        }
        // A record that changed is kept again.
        try Self.write("later results", to: run + "/results.json")
        try RunRecords(runDirectory: run, recordsDirectory: kept).keep()
        #expect(FileManager.default.contents(atPath: kept + "/results.json") == Data("later results".utf8))
    }

    @Test("a pool's parts leave the records once the pool is assembled from them")
    func assembledPool() throws {
        let run = Self.directory()
        let parts = ["pools/pi0-seed-2.part-1.jsonl", "pools/pi0-seed-2.part-1.run.json"]
        for path in parts { try Self.write("content of \(path)", to: run + "/" + path) }
        let kept = Self.directory()
        try RunRecords(runDirectory: run, recordsDirectory: kept).keep()
        #expect(Self.files(under: kept) == Set(parts))
        for path in parts { try FileManager.default.removeItem(atPath: run + "/" + path) }
        let pool = ["pools/pi0-seed-2.jsonl", "pools/pi0-seed-2.run.json"]
        for path in pool { try Self.write("content of \(path)", to: run + "/" + path) }
        try RunRecords(runDirectory: run, recordsDirectory: kept).keep()
        #expect(Self.files(under: kept) == Set(pool))
    }

    @Test("a new run directory gets every record it lacks and keeps its own files")
    func restore() throws {
        let kept = Self.directory()
        for path in Self.records { try Self.write("kept \(path)", to: kept + "/" + path) }
        // Not records: never copied back, even from the records directory.
        try Self.write("a stray checkpoint", to: kept + "/initial/pi/model.safetensors")
        let run = Self.directory()
        try Self.write("this run's results", to: run + "/results.json")
        let copied = try RunRecords(runDirectory: run, recordsDirectory: kept).restore()
        #expect(copied == Self.records.count - 1)
        #expect(Self.files(under: run) == Set(Self.records))
        #expect(FileManager.default.contents(atPath: run + "/results.json") == Data("this run's results".utf8))
        #expect(
            FileManager.default.contents(atPath: run + "/arms/online/seed-1/learner/metrics.jsonl")
                == Data("kept arms/online/seed-1/learner/metrics.jsonl".utf8))
    }

    @Test("a run directory that is a symbolic link keeps its records too")
    func linkedRunDirectory() throws {
        let target = Self.directory()
        for path in Self.records { try Self.write("content of \(path)", to: target + "/" + path) }
        let link = Self.directory()
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let kept = Self.directory()
        try RunRecords(runDirectory: link, recordsDirectory: kept).keep()
        #expect(Self.files(under: kept) == Set(Self.records))
    }

    @Test("no records directory yet: nothing to restore")
    func empty() throws {
        let run = Self.directory()
        #expect(try RunRecords(runDirectory: run, recordsDirectory: Self.directory()).restore() == 0)
    }
}
