// A list of task items, generated or imported, each carrying its verifier.

/// Task items in order, from generators or a JSONL file, each with its own verifier.
public struct TaskDataset: Sendable, Equatable {
    /// The items.
    public var items: [TaskItem]

    /// Creates a dataset from items in memory.
    /// - Parameter items: the items.
    public init(items: [TaskItem]) {
        self.items = items
    }

    /// Generates items from several families, interleaved so that families and difficulties mix.
    ///
    /// Item k of configuration c is `item(index: k, split: split)` of its generator; the result
    /// lists item 0 of every configuration, then item 1 of every configuration, and so on.
    /// - Parameters:
    ///   - configurations: one configuration per family (or per seed, style, ...).
    ///   - countPerConfiguration: how many items each configuration contributes.
    ///   - split: the split to draw from.
    /// - Returns: `configurations.count * countPerConfiguration` items.
    /// - Throws: `TaskError.invalidConfiguration` for an invalid configuration.
    public static func generated(
        _ configurations: [TaskGeneratorConfiguration], countPerConfiguration: Int, split: TaskSplit
    ) throws(TaskError) -> TaskDataset {
        guard countPerConfiguration >= 0 else {
            throw .invalidConfiguration("countPerConfiguration must be non-negative, got \(countPerConfiguration)")
        }
        var generators: [any TaskGenerator] = []
        for configuration in configurations { generators.append(try configuration.makeGenerator()) }
        var items: [TaskItem] = []
        items.reserveCapacity(generators.count * countPerConfiguration)
        for index in 0..<countPerConfiguration {
            for generator in generators { items.append(generator.item(index: index, split: split)) }
        }
        return TaskDataset(items: items)
    }

    /// The number of items at each difficulty.
    public var difficultyCounts: [Int: Int] {
        items.reduce(into: [:]) { $0[$1.difficulty, default: 0] += 1 }
    }
}
