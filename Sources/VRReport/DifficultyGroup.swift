// The groups of questions the bias analysis compares. Levels mean the same across the miniature's families, but
// not across reasoning-gym's (three animals are not three digits), so a run with several families and pi0's
// scores per family and level is grouped by both and ordered by how hard pi0 found each group.

import VRRecords

/// Questions pooled by the bias analysis: one difficulty level, across families or within one family.
public struct DifficultyGroup: Hashable, Sendable {
    /// The family, or nil for the level across all families.
    public var family: String?
    /// The difficulty level.
    public var level: Int

    /// Creates a group.
    /// - Parameters:
    ///   - family: the family, or nil for every family.
    ///   - level: the difficulty level.
    public init(family: String? = nil, level: Int) {
        self.family = family
        self.level = level
    }

    /// The level, preceded by the family when there is one: `3`, `products 3`.
    public var name: String {
        family.map { "\($0) \(level)" } ?? "\(level)"
    }

    /// Its title in charts: `Level 3`, `products 3`.
    var title: String {
        family == nil ? "Level \(level)" : name
    }

    /// The groups of a run, easiest first.
    ///
    /// With several families and pi0's scores per family and level, each family's levels ordered by pi0's Avg@k,
    /// highest first (ties keep the families' order, then the levels'); otherwise the run's levels, ascending.
    /// - Parameters:
    ///   - results: the run's results.
    ///   - initial: pi0's scores.
    /// - Returns: the groups, easiest first.
    static func groups(of results: ExperimentResults, initial: ArmSummary?) -> [DifficultyGroup] {
        guard results.families.count > 1, let byFamilyAndDifficulty = initial?.byFamilyAndDifficulty,
            !byFamilyAndDifficulty.isEmpty
        else { return results.difficulties.map { DifficultyGroup(level: $0) } }
        let scored = results.families.flatMap { family in
            (byFamilyAndDifficulty[family] ?? [:]).sorted { $0.key < $1.key }.map {
                (group: DifficultyGroup(family: family, level: $0.key), averageAtK: $0.value.averageAtK.mean)
            }
        }
        // A stable sort: Swift's `sorted` is stable, so ties keep the order above.
        return scored.sorted { $0.averageAtK > $1.averageAtK }.map(\.group)
    }

    /// The group of `record`: its level, within its family when `byFamily`.
    /// - Parameters:
    ///   - record: a question record.
    ///   - byFamily: whether groups are per family.
    init(_ record: QuestionWeightRecord, byFamily: Bool) {
        self.init(family: byFamily ? record.family : nil, level: record.difficulty)
    }
}
