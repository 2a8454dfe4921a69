// Train and test splits, and the rule that assigns a question to one of them by its content.

/// The part of a generated task set an item belongs to.
///
/// Assignment is by content, not by position: a question's canonical key (the question with
/// cosmetic choices such as names and operand order removed) is hashed to a number u in [0, 1),
/// and the question is a test question exactly when u < testFraction. Identical (and equivalent)
/// questions therefore always land in the same split, for every seed and every index; two sets
/// generated with the same `testFraction` share no question across splits. Generators draw
/// candidates until one falls in the requested split.
public enum TaskSplit: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    /// Questions for training.
    case train
    /// Held-out questions for evaluation.
    case test

    /// The split of a question.
    /// - Parameters:
    ///   - canonicalKey: the question's canonical key (generators document theirs).
    ///   - testFraction: the share of question keys assigned to `test`, in (0, 1); the split is
    ///     `.test` when the key's hash falls below it, else `.train`.
    public init(canonicalKey: String, testFraction: Double) {
        // Salted so that the split is independent of the candidate streams; fixed forever.
        let hash = TaskRandom.hash("split:" + canonicalKey)
        let unit = Double(hash >> 11) * (1.0 / 9_007_199_254_740_992.0)
        self = unit < testFraction ? .test : .train
    }

    /// A number that keys the split's random streams; fixed forever.
    var streamKey: UInt64 {
        self == .train ? 1 : 2
    }
}
