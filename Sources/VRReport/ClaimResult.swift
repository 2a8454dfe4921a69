// The verdict on one of the paper's claims, and the rule that decides it from scores across seeds.

/// How a claim fared in the run.
public enum ClaimVerdict: String, Sendable, Equatable {
    /// The difference is in the claimed direction and larger than the seed spread.
    case held = "held"
    /// The difference is against the claim by more than the seed spread.
    case didNotHold = "did not hold"
    /// The difference is within the seed spread.
    case inconclusive = "inconclusive (within seed spread)"
    /// The run lacks the arms the claim compares.
    case skipped = "skipped"

    /// The verdict on "`claimed` scores higher than `other`", from their mean overall Avg@k.
    ///
    /// The spread is the larger of the two arms' standard deviations across seeds, where an arm of one seed, which
    /// has none of its own, counts `singleSeedSpread`. The claim held when the claimed arm's mean exceeds the
    /// other's by more than the spread, did not hold when it falls short by more than the spread, and is
    /// inconclusive otherwise.
    /// - Parameters:
    ///   - claimed: Avg@k of the arm claimed to be better.
    ///   - other: Avg@k of the arm it is compared with.
    ///   - singleSeedSpread: the spread of an arm with one seed, such as the run's pooled seed spread.
    /// - Returns: the verdict (never `.skipped`).
    public static func higher(
        _ claimed: SeedSummary, than other: SeedSummary, singleSeedSpread: Double = 0
    ) -> ClaimVerdict {
        let difference = claimed.mean - other.mean
        let spread = Self.spread(claimed, other, singleSeedSpread: singleSeedSpread)
        if difference > spread { return .held }
        if difference < -spread { return .didNotHold }
        return .inconclusive
    }

    /// The verdict on "`claimed` scores at least as high as `other`": it held unless `other` is higher by more
    /// than the spread of `higher(_:than:singleSeedSpread:)`.
    /// - Parameters:
    ///   - claimed: Avg@k of the arm claimed to be at least as good.
    ///   - other: Avg@k of the arm it is compared with.
    ///   - singleSeedSpread: the spread of an arm with one seed.
    /// - Returns: `.held` or `.didNotHold`.
    public static func atLeastAsHigh(
        _ claimed: SeedSummary, as other: SeedSummary, singleSeedSpread: Double = 0
    ) -> ClaimVerdict {
        higher(other, than: claimed, singleSeedSpread: singleSeedSpread) == .held ? .didNotHold : .held
    }

    /// The spread two arms' means are compared against: the larger of their seed standard deviations, an arm of
    /// one seed counting `singleSeedSpread`.
    /// - Parameters:
    ///   - first: one arm's Avg@k.
    ///   - second: the other's.
    ///   - singleSeedSpread: the spread of an arm with one seed.
    /// - Returns: the spread.
    public static func spread(_ first: SeedSummary, _ second: SeedSummary, singleSeedSpread: Double) -> Double {
        [first, second].map { $0.seedCount > 1 ? $0.standardDeviation : singleSeedSpread }.max() ?? 0
    }
}

/// One of the paper's claims as tested by the run: what it says, the verdict and the numbers behind it.
public struct ClaimResult: Sendable, Equatable {
    /// Its label in the report, `a` to `f`.
    public var label: String
    /// The claim in one sentence.
    public var statement: String
    /// How it fared.
    public var verdict: ClaimVerdict
    /// The numbers behind the verdict, or which arms were missing when it was skipped.
    public var evidence: String

    /// Creates a claim's result.
    /// - Parameters:
    ///   - label: its label.
    ///   - statement: the claim.
    ///   - verdict: how it fared.
    ///   - evidence: the numbers behind the verdict.
    public init(label: String, statement: String, verdict: ClaimVerdict, evidence: String) {
        self.label = label
        self.statement = statement
        self.verdict = verdict
        self.evidence = evidence
    }
}
