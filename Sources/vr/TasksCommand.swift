// `vr tasks`: writes a generated task set (question, thought, solution, answer, difficulty) as JSONL.

import ArgumentParser
import VRTasks

/// Generates built-in reasoning tasks and exports them in the JSONL layout that user datasets use.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Write generated reasoning tasks (addition, multiplication, countdown, word problems) as JSONL.")

    @Option(help: "The JSONL file to write.")
    var output: String

    @Option(help: "Comma-separated families: addition, multiplication, countdown, wordProblem.")
    var families: String = "addition,multiplication,countdown,wordProblem"

    @Option(help: "Items per family.")
    var count: Int = 100

    @Option(help: "The split: train or test (disjoint by construction).")
    var split: String = "train"

    @Option(help: "Lowest difficulty.")
    var minimumDifficulty: Int = 1

    @Option(help: "Highest difficulty.")
    var maximumDifficulty: Int = 3

    @Option(help: "Reference thought style: compact or verbose.")
    var thoughtStyle: String = "compact"

    @Option(help: "Random seed; equal seeds give equal files.")
    var seed: UInt64 = 0

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be non-negative, got \(count)") }
        guard minimumDifficulty <= maximumDifficulty else {
            throw ValidationError("--minimum-difficulty must not exceed --maximum-difficulty")
        }
        guard TaskSplit(rawValue: split) != nil else { throw ValidationError("--split is train or test, got \(split)") }
        guard ThoughtStyle(rawValue: thoughtStyle) != nil else {
            throw ValidationError("--thought-style is compact or verbose, got \(thoughtStyle)")
        }
        _ = try parsedFamilies()
    }

    func run() throws {
        let style = ThoughtStyle(rawValue: thoughtStyle) ?? .compact
        let configurations = try parsedFamilies().map {
            TaskGeneratorConfiguration(
                family: $0, seed: seed, difficulties: minimumDifficulty...maximumDifficulty, thoughtStyle: style)
        }
        let dataset = try TaskDataset.generated(
            configurations, countPerConfiguration: count, split: TaskSplit(rawValue: split) ?? .train)
        try dataset.write(to: output)
        let levels = dataset.difficultyCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        print("wrote \(dataset.items.count) items to \(output) (difficulty \(levels.joined(separator: ", ")))")
    }

    private func parsedFamilies() throws -> [TaskFamily] {
        try families.split(separator: ",").map { name in
            guard let family = TaskFamily(rawValue: String(name)) else {
                let known = TaskFamily.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--families lists families among \(known), got \"\(name)\"")
            }
            return family
        }
    }
}
