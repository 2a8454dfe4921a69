// The bias analysis of [E11] and [E12]: how a method's effective weight spreads over difficulty levels. RFT and
// GRPO weights grow with a question's accuracy; the variational weights give each question the same total.

import VRRecords

/// One difficulty level's part of an arm's effective weight, pooled over every recorded step and seed.
public struct DifficultyWeight: Sendable, Equatable {
    /// The difficulty level.
    public var difficulty: Int
    /// The level's effective weight over all levels' effective weight; nil when the total is zero.
    public var share: Double?
    /// The mean trace accuracy of the level's records; nil when it has none.
    public var meanTraceAccuracy: Double?
    /// Question records at this level.
    public var recordCount: Int
}

/// An arm's effective weight per difficulty level.
public struct DifficultyWeights: Sendable, Equatable {
    /// One entry per level, ascending.
    public var levels: [DifficultyWeight]

    /// Pools `records` by difficulty.
    /// - Parameters:
    ///   - records: question records of all the arm's runs.
    ///   - levels: levels to report even when no record has them; levels found in the records are added.
    public init(records: [QuestionWeightRecord], levels: [Int]) {
        let totalWeight = records.reduce(0) { $0 + $1.effectiveWeight }
        let recordsByLevel = Dictionary(grouping: records, by: \.difficulty)
        self.levels = Set(levels).union(recordsByLevel.keys).sorted().map { level in
            let levelRecords = recordsByLevel[level] ?? []
            let levelWeight = levelRecords.reduce(0) { $0 + $1.effectiveWeight }
            return DifficultyWeight(
                difficulty: level, share: totalWeight > 0 ? levelWeight / totalWeight : nil,
                meanTraceAccuracy: levelRecords.isEmpty
                    ? nil : levelRecords.reduce(0) { $0 + $1.traceAccuracy } / Double(levelRecords.count),
                recordCount: levelRecords.count)
        }
    }

    /// The share of `level`, or nil when the level is unknown or the total weight is zero.
    /// - Parameter level: a difficulty level.
    /// - Returns: its share of the effective weight.
    public func share(of level: Int) -> Double? {
        levels.first { $0.difficulty == level }?.share
    }
}
