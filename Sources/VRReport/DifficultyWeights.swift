// The bias analysis of [E11] and [E12]: how a method's effective weight spreads over groups of questions from easy
// to hard. RFT and GRPO weights grow with a question's accuracy; the variational weights give each question the
// same total.

import VRRecords

/// One group's part of an arm's effective weight, pooled over every recorded step and seed.
public struct DifficultyWeight: Sendable, Equatable {
    /// The group of questions.
    public var group: DifficultyGroup
    /// The group's effective weight over all groups' effective weight; nil when the total is zero.
    public var share: Double?
    /// The mean trace accuracy of the group's records; nil when it has none.
    public var meanTraceAccuracy: Double?
    /// Question records in this group.
    public var recordCount: Int
}

/// An arm's effective weight per group of questions.
public struct DifficultyWeights: Sendable, Equatable {
    /// One entry per group, easiest first.
    public var groups: [DifficultyWeight]

    /// Pools `records` by group.
    /// - Parameters:
    ///   - records: question records of all the arm's runs.
    ///   - groups: the run's groups, easiest first, reported even when no record falls in them. Groups by family found
    ///     only in the records follow them, by family and level; levels found only there take their place among
    ///     the levels, ascending.
    public init(records: [QuestionWeightRecord], groups: [DifficultyGroup]) {
        let byFamily = groups.contains { $0.family != nil }
        let totalWeight = records.reduce(0) { $0 + $1.effectiveWeight }
        let recordsByGroup = Dictionary(grouping: records) { DifficultyGroup($0, byFamily: byFamily) }
        let unlisted = Set(recordsByGroup.keys).subtracting(groups).sorted {
            ($0.family ?? "", $0.level) < ($1.family ?? "", $1.level)
        }
        let ordered = byFamily ? groups + unlisted : (groups + unlisted).sorted { $0.level < $1.level }
        self.groups = ordered.map { group in
            let groupRecords = recordsByGroup[group] ?? []
            let groupWeight = groupRecords.reduce(0) { $0 + $1.effectiveWeight }
            return DifficultyWeight(
                group: group, share: totalWeight > 0 ? groupWeight / totalWeight : nil,
                meanTraceAccuracy: groupRecords.isEmpty
                    ? nil : groupRecords.reduce(0) { $0 + $1.traceAccuracy } / Double(groupRecords.count),
                recordCount: groupRecords.count)
        }
    }

    /// The share of `group`, or nil when the group is unknown or the total weight is zero.
    /// - Parameter group: a group of questions.
    /// - Returns: its share of the effective weight.
    public func share(of group: DifficultyGroup) -> Double? {
        groups.first { $0.group == group }?.share
    }
}
