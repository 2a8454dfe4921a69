// The paper's claims (a)-(e), each a comparison of mean overall Avg@k between arms found by their attributes.

import VRRecords

/// Tests the paper's claims against a run's statistics.
struct ClaimChecker {
    /// The run's statistics.
    let summary: ExperimentSummary

    /// Every claim's result, (a) to (f), with one (f) per RFT or GRPO arm.
    var claims: [ClaimResult] {
        [variationalBeatsSFT, accuracyMatchesGML, hintMatters, moreTracesHelp, weightingBeatsBestTrace] + biasClaims
    }

    private var results: ExperimentResults { summary.results }

    private var variationalBeatsSFT: ClaimResult {
        comparison(
            label: "a", statement: "The variational method beats SFT.",
            claimed: (
                results.variationalReferenceArm,
                "\"main\" arm with method variational, estimator acc, selection weighted and proposal hinted-posterior"
            ),
            other: (results.arms.first { $0.method == "sft" }, "arm with method sft"), rule: ClaimVerdict.higher)
    }

    private var accuracyMatchesGML: ClaimResult {
        let arms = results.arms(inGroup: "estimator")
        return comparison(
            label: "b", statement: "The Acc estimator is at least as good as GML.",
            claimed: (arms.first { $0.estimator == "acc" }, "\"estimator\" arm with estimator acc"),
            other: (arms.first { $0.estimator == "gml" }, "\"estimator\" arm with estimator gml"),
            rule: ClaimVerdict.atLeastAsHigh)
    }

    private var hintMatters: ClaimResult {
        let arms = results.arms(inGroup: "hint")
        return comparison(
            label: "c", statement: "The hint matters: traces from the hinted q beat traces from pi0 (unhinted q).",
            claimed: (
                arms.first { $0.proposal == "hinted-posterior" && $0.hint != "answer" },
                "\"hint\" arm with proposal hinted-posterior and the worked solution as hint"
            ),
            other: (
                arms.first { $0.proposal == "unhinted-posterior" }, "\"hint\" arm with proposal unhinted-posterior"
            ), rule: ClaimVerdict.higher)
    }

    private var moreTracesHelp: ClaimResult {
        let statement = "More traces per question (larger K) help."
        let arms = results.armsByTraces(inGroup: "k").compactMap { arm in arm.traces.map { (traces: $0, arm: arm) } }
        guard let smallest = arms.first, let largest = arms.last, largest.traces > smallest.traces else {
            return ClaimResult(
                label: "d", statement: statement, verdict: .skipped,
                evidence: "Skipped: the run has no two \"k\" arms with different K.")
        }
        var result = comparison(
            label: "d", statement: statement, claimed: (largest.arm, "largest-K arm"),
            other: (smallest.arm, "smallest-K arm"), rule: ClaimVerdict.higher)
        let means = arms.compactMap { entry in
            summary.summary(of: entry.arm).map { (traces: entry.traces, mean: $0.overall.averageAtK.mean) }
        }
        let isMonotone = zip(means, means.dropFirst()).allSatisfy { $0.mean <= $1.mean }
        let listing = means.map { "K=\($0.traces) \(ReportFormat.score($0.mean))" }.joined(separator: ", ")
        result.evidence += " Mean Avg@k by K: \(listing); \(isMonotone ? "monotone" : "not monotone") in K."
        return result
    }

    private var weightingBeatsBestTrace: ClaimResult {
        let arms = results.arms(inGroup: "selection")
        return comparison(
            label: "e", statement: "Weighting all K traces beats training on the single best trace.",
            claimed: (arms.first { $0.selection == "weighted" }, "\"selection\" arm with selection weighted"),
            other: (arms.first { $0.selection == "best" }, "\"selection\" arm with selection best"),
            rule: ClaimVerdict.higher)
    }

    /// The claim that `claimed` (an arm and how to describe it when missing) scores higher than `other` by
    /// `rule`, or a skipped claim naming the missing arms.
    private func comparison(
        label: String, statement: String, claimed: (arm: ArmResult?, description: String),
        other: (arm: ArmResult?, description: String),
        rule: (SeedSummary, SeedSummary, Double) -> ClaimVerdict
    ) -> ClaimResult {
        guard let claimedArm = claimed.arm, let otherArm = other.arm,
            let claimedScore = summary.summary(of: claimedArm)?.overall.averageAtK,
            let otherScore = summary.summary(of: otherArm)?.overall.averageAtK
        else {
            let missing = [claimed, other].filter { $0.arm == nil }.map(\.description)
            return ClaimResult(
                label: label, statement: statement, verdict: .skipped,
                evidence: "Skipped: the run has no \(missing.joined(separator: " and no ")).")
        }
        let difference = claimedScore.mean - otherScore.mean
        let singleSeedSpread = summary.pooledSeedSpread ?? 0
        let spread = ClaimVerdict.spread(claimedScore, otherScore, singleSeedSpread: singleSeedSpread)
        let hasSingleSeed = min(claimedScore.seedCount, otherScore.seedCount) == 1
        let evidence =
            "Avg@k \(claimedArm.label) \(ReportFormat.score(claimedScore)) vs \(otherArm.label) "
            + "\(ReportFormat.score(otherScore)): difference \(ReportFormat.signedScore(difference)), "
            + "seed spread \(ReportFormat.score(spread))"
            + (hasSingleSeed && summary.pooledSeedSpread != nil
                ? " (a single seed counts the pooled spread of the arms with several seeds)." : ".")
        return ClaimResult(
            label: label, statement: statement, verdict: rule(claimedScore, otherScore, singleSeedSpread),
            evidence: evidence)
    }
}
