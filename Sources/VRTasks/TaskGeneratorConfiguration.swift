// Settings of one task generator: family, seed, difficulty range, thought style and test share.

import VRCore

/// The settings of one generated task family.
///
/// Decoding fills missing keys with the defaults below (only `family` is required) and rejects
/// unknown keys, so a misspelt setting fails instead of being ignored.
public struct TaskGeneratorConfiguration: Codable, Sendable, Equatable {
    /// The task family.
    public var family: TaskFamily
    /// The seed: items are a pure function of (seed, split, index); default 0.
    public var seed: UInt64
    /// The easiest difficulty drawn; default 1.
    public var minimumDifficulty: Int
    /// The hardest difficulty drawn; default 3 (difficulties are uniform over the range).
    public var maximumDifficulty: Int
    /// How reference thoughts are written; default `.compact`.
    public var thoughtStyle: ThoughtStyle
    /// The share of question keys held out for `test`, in (0, 1); default 0.2 (see `TaskSplit`).
    public var testFraction: Double

    /// Creates a configuration.
    /// - Parameters:
    ///   - family: the task family.
    ///   - seed: the seed.
    ///   - difficulties: the difficulty range, within `family.supportedDifficulties`.
    ///   - thoughtStyle: how reference thoughts are written.
    ///   - testFraction: the share of question keys held out for `test`.
    public init(
        family: TaskFamily, seed: UInt64 = 0, difficulties: ClosedRange<Int> = 1...3,
        thoughtStyle: ThoughtStyle = .compact, testFraction: Double = 0.2
    ) {
        self.family = family
        self.seed = seed
        self.minimumDifficulty = difficulties.lowerBound
        self.maximumDifficulty = difficulties.upperBound
        self.thoughtStyle = thoughtStyle
        self.testFraction = testFraction
    }

    /// The difficulty range; valid only after `validate()` succeeds.
    public var difficulties: ClosedRange<Int> {
        minimumDifficulty...max(minimumDifficulty, maximumDifficulty)
    }

    /// Checks the ranges.
    /// - Throws: `TaskError.invalidConfiguration` naming the first value out of range.
    public func validate() throws(TaskError) {
        let supported = family.supportedDifficulties
        guard supported.contains(minimumDifficulty), supported.contains(maximumDifficulty),
            minimumDifficulty <= maximumDifficulty
        else {
            throw .invalidConfiguration(
                "\(family.rawValue) difficulties \(minimumDifficulty)...\(maximumDifficulty) must be a range within "
                    + "\(supported.lowerBound)...\(supported.upperBound)")
        }
        guard testFraction > 0 && testFraction < 1 else {
            throw .invalidConfiguration("testFraction \(testFraction) must lie strictly between 0 and 1")
        }
    }

    /// The generator for this configuration's family.
    /// - Returns: a generator that has checked the configuration.
    /// - Throws: `TaskError.invalidConfiguration` when the configuration is invalid or a split is empty.
    public func makeGenerator() throws(TaskError) -> any TaskGenerator {
        switch family {
        case .addition: try AdditionGenerator(configuration: self)
        case .multiplication: try MultiplicationGenerator(configuration: self)
        case .countdown: try CountdownGenerator(configuration: self)
        case .wordProblem: try WordProblemGenerator(configuration: self)
        }
    }

    // MARK: - Decoding

    /// Decodes a configuration; missing keys other than `family` take their defaults.
    /// - Parameter decoder: the decoder positioned at a JSON object.
    /// - Throws: `DecodingError` for an unknown key, a missing `family` or a type mismatch.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        family = try container.decode(TaskFamily.self, forKey: .family)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        minimumDifficulty = try container.decodeIfPresent(Int.self, forKey: .minimumDifficulty) ?? 1
        maximumDifficulty = try container.decodeIfPresent(Int.self, forKey: .maximumDifficulty) ?? 3
        thoughtStyle = try container.decodeIfPresent(ThoughtStyle.self, forKey: .thoughtStyle) ?? .compact
        testFraction = try container.decodeIfPresent(Double.self, forKey: .testFraction) ?? 0.2
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case family, seed, minimumDifficulty, maximumDifficulty, thoughtStyle, testFraction
    }

    /// A coding key for any string, used to list the keys an object actually has.
}
