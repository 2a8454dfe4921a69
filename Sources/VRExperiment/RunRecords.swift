// The small files that record an experiment's finished work, kept in a second directory (`vr experiment
// --records`), so that the experiment continues from them on another machine or in a new checkout.

import Foundation
import VRModel

/// The records of a run directory, kept in a second directory and taken back from it.
///
/// The records are the configuration, the results, the cached evaluations of the initial and base models, the trace
/// pools and their finished parts with their cost records, and each finished run's record with its step metrics and
/// question weights. No checkpoint or log: a later invocation trains again the initial models it still needs, samples
/// no pool or part again, and trains no finished run again.
struct RunRecords {
    /// The run directory.
    let runDirectory: String
    /// Where the records are kept.
    let recordsDirectory: String

    /// Copies every record the run directory lacks from the records directory; the run directory's own files win.
    /// - Returns: the files copied.
    /// - Throws: `RunError.io` naming the file that cannot be read or written.
    @discardableResult
    func restore() throws(RunError) -> Int {
        var copied = 0
        for path in Self.files(under: recordsDirectory) where Self.isRecord(path, in: recordsDirectory) {
            guard !FileManager.default.fileExists(atPath: runDirectory + "/" + path) else { continue }
            try copy(path, from: recordsDirectory, to: runDirectory)
            copied += 1
        }
        return copied
    }

    /// Copies every record of the run directory that the records directory lacks or holds in another version.
    /// - Throws: `RunError.io` naming the file that cannot be read or written.
    func keep() throws(RunError) {
        for path in Self.files(under: runDirectory) where Self.isRecord(path, in: runDirectory) {
            let kept = FileManager.default.contents(atPath: recordsDirectory + "/" + path)
            guard kept == nil || kept != FileManager.default.contents(atPath: runDirectory + "/" + path) else {
                continue
            }
            try copy(path, from: runDirectory, to: recordsDirectory)
        }
        // A pool's parts are records until the pool is assembled from them and removes them.
        for path in Self.files(under: recordsDirectory) where path.contains(".part-") {
            guard !FileManager.default.fileExists(atPath: runDirectory + "/" + path) else { continue }
            do {
                try FileManager.default.removeItem(atPath: recordsDirectory + "/" + path)
            } catch {
                throw .io("cannot remove \(recordsDirectory)/\(path): \(error)")
            }
        }
    }

    /// Whether `path`, relative to `directory`, is a record.
    ///
    /// A run's metrics and question weights are records once its `run.json` says it finished.
    static func isRecord(_ path: String, in directory: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        let name = parts.last ?? ""
        switch parts.first {
        case "experiment.json", "results.json": return parts.count == 1
        case "initial": return name.hasPrefix("evaluation") && name.hasSuffix(".json")
        case "pools":
            // A pool or part's traces once its cost record says it finished, and that record.
            guard parts.count == 2 else { return false }
            if name.hasSuffix(".run.json") { return true }
            guard name.hasSuffix(".jsonl"), !name.hasSuffix(".tasks.jsonl"), !name.hasSuffix(".examples.jsonl")
            else { return false }
            return FileManager.default.fileExists(atPath: "\(directory)/pools/\(name.dropLast(6)).run.json")
        case "arms":
            guard parts.count >= 4 else { return false }
            let within = parts[3...].joined(separator: "/")
            guard ["run.json", "questions.jsonl", "learner/metrics.jsonl", "learner/questions.jsonl"].contains(within)
            else { return false }
            let run = parts[0..<3].joined(separator: "/")
            return FileManager.default.fileExists(atPath: "\(directory)/\(run)/run.json")
        default: return false
        }
    }

    /// The regular files under `directory` (which may be a symbolic link), as paths relative to it; none when it
    /// does not exist.
    private static func files(under directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(path) }
        }
        return paths.sorted()
    }

    private func copy(_ path: String, from source: String, to destination: String) throws(RunError) {
        let target = destination + "/" + path
        guard let bytes = FileManager.default.contents(atPath: source + "/" + path) else {
            throw .io("cannot read \(source)/\(path)")
        }
        do {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path,
                withIntermediateDirectories: true)
            try AtomicFile.write(Array(bytes), to: target)
        } catch {
            throw .io("cannot write \(target): \(error)")
        }
    }
}
