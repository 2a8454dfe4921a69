// The generator protocol, and the shared draw that makes items deterministic and splits disjoint.

/// A procedural source of task items: deterministic in (seed, split, index).
///
/// Conforming types document their question format, difficulty meaning, reference thought and
/// canonical key (the content that decides the split, see `TaskSplit`).
public protocol TaskGenerator: Sendable {
    /// The settings, already validated.
    var configuration: TaskGeneratorConfiguration { get }

    /// The item at `index` of `split`; the same (configuration, split, index) always gives the same item.
    /// - Parameters:
    ///   - index: any non-negative position.
    ///   - split: the split to draw from.
    /// - Returns: an item whose question belongs to `split`.
    func item(index: Int, split: TaskSplit) -> TaskItem
}

extension TaskGenerator {
    /// The items at `start..<start + count` of `split`.
    /// - Parameters:
    ///   - count: how many items.
    ///   - split: the split.
    ///   - start: the first index; default 0.
    /// - Returns: the items in index order.
    /// - Precondition: `count >= 0` and `start >= 0`.
    public func items(count: Int, split: TaskSplit, startingAt start: Int = 0) -> [TaskItem] {
        precondition(count >= 0 && start >= 0, "items(count: \(count), startingAt: \(start)) needs non-negative values")
        return (start..<(start + count)).map { item(index: $0, split: split) }
    }
}

/// A generated question before its split is known: texts, answer, check and canonical key.
struct TaskDraft {
    var question: String
    var thought: String
    /// The compact working, for the worked solution (the posterior's hint).
    var working: String
    var finalAnswer: String
    var verifier: Verifier
    /// The question without cosmetic choices (names, operand order); decides the split.
    var canonicalKey: String
}

/// The shared draw: candidates from keyed streams until one falls in the requested split.
enum TaskDrawing {
    /// Candidates tried per item before giving up; only a split that holds no question exhausts it.
    static let maximumAttempts = 100_000

    /// The item at `index` of `split`, or nil when `maximumAttempts` candidates all fell in the other split.
    ///
    /// The draft closure makes a candidate of a given difficulty from a random stream; nil rejects it.
    static func item(
        configuration: TaskGeneratorConfiguration, index: Int, split: TaskSplit,
        draft: (Int, inout TaskRandom) -> TaskDraft?
    ) -> TaskItem? {
        precondition(index >= 0, "task index must be non-negative, got \(index)")
        let family = configuration.family
        for attempt in 0..<maximumAttempts {
            var random = TaskRandom(keys: [
                configuration.seed, family.streamKey, split.streamKey, UInt64(index), UInt64(attempt),
            ])
            let difficulty = random.int(in: configuration.difficulties)
            guard let candidate = draft(difficulty, &random) else { continue }
            let key = family.rawValue + ":" + candidate.canonicalKey
            guard TaskSplit(canonicalKey: key, testFraction: configuration.testFraction) == split else { continue }
            return TaskItem(
                id: "\(family.rawValue)/\(split.rawValue)/\(index)", family: family, question: candidate.question,
                referenceThought: candidate.thought,
                referenceSolution: TaskItem.solution(stating: candidate.finalAnswer),
                finalAnswer: candidate.finalAnswer, difficulty: difficulty, verifier: candidate.verifier,
                workedSolution: TaskItem.workedSolution(working: candidate.working, stating: candidate.finalAnswer))
        }
        return nil
    }

    /// Validates `configuration` for `family` and checks that both splits can be drawn from.
    static func check(
        _ configuration: TaskGeneratorConfiguration, family: TaskFamily, draft: (Int, inout TaskRandom) -> TaskDraft?
    ) throws(TaskError) {
        guard configuration.family == family else {
            throw .invalidConfiguration(
                "a \(family.rawValue) generator got a \(configuration.family.rawValue) configuration")
        }
        try configuration.validate()
        for split in TaskSplit.allCases
        where item(configuration: configuration, index: 0, split: split, draft: draft) == nil {
            throw .invalidConfiguration(
                "no \(family.rawValue) question at difficulties \(configuration.difficulties) falls in the \(split.rawValue) "
                    + "split with testFraction \(configuration.testFraction); widen the difficulties or change testFraction"
            )
        }
    }

    /// The item, trapping with a message when the split is exhausted (ruled out by `check` at creation).
    static func requireItem(
        configuration: TaskGeneratorConfiguration, index: Int, split: TaskSplit,
        draft: (Int, inout TaskRandom) -> TaskDraft?
    ) -> TaskItem {
        guard let item = item(configuration: configuration, index: index, split: split, draft: draft) else {
            preconditionFailure(
                "\(configuration.family.rawValue) split \(split.rawValue) yielded no item at index \(index)")
        }
        return item
    }
}
