// `vr toy-data`: writes the toy prompt/response corpus as JSONL.

import ArgumentParser
import VRTraining

/// Writes `ToyCorpus` examples to a JSONL file.
struct ToyDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toy-data", abstract: "Write a deterministic toy prompt/response corpus (JSONL).")

    @Option(help: "The JSONL file to write.")
    var output: String

    @Option(help: "Number of examples.")
    var count: Int = 2000

    @Option(help: "Random seed; equal seeds give equal files.")
    var seed: UInt64 = 0

    @Option(help: "Comma-separated tasks among reverse, sort, add.")
    var tasks: String = "reverse"

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        _ = try parsedTasks()
    }

    func run() throws {
        let dataset = ToyCorpus(tasks: try parsedTasks()).dataset(count: count, seed: seed)
        try dataset.write(to: output)
        print("wrote \(dataset.examples.count) examples to \(output)")
    }

    /// The tasks named by `--tasks`.
    private func parsedTasks() throws -> [ToyCorpus.Task] {
        let names = tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = names.compactMap(ToyCorpus.Task.init(rawValue:))
        guard !names.isEmpty, parsed.count == names.count else {
            let known = ToyCorpus.Task.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--tasks must list tasks among \(known), got \"\(tasks)\"")
        }
        return parsed
    }
}
