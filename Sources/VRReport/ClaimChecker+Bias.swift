// Claim (f), [E11] and [E12]: RFT and GRPO weight questions by their accuracy, so they put less of their weight on
// hard questions and more on easy ones than the variational method, whose self-normalised weights give each
// question the same total. Hard and easy are the last and first of the run's difficulty groups.

import VRRecords

extension ClaimChecker {
    /// One claim per RFT or GRPO arm, comparing its weight shares with the variational reference arm's.
    var biasClaims: [ClaimResult] {
        let results = summary.results
        let baselines = results.arms.filter { $0.method == "rft" || $0.method == "grpo" }
        guard !baselines.isEmpty else {
            return [
                ClaimResult(
                    label: "f", statement: "RFT and GRPO favour easy questions.", verdict: .skipped,
                    evidence: "Skipped: the run has no arm with method rft or grpo.")
            ]
        }
        guard let reference = results.variationalReferenceArm,
            let referenceWeights = summary.difficultyWeights[reference.name]
        else {
            return baselines.map {
                skipped($0, "the run has no variational reference arm (see (a)) with a questions file")
            }
        }
        let groups = summary.difficultyGroups
        guard let easiest = groups.first, let hardest = groups.last, groups.count > 1 else {
            return baselines.map { skipped($0, "the questions span fewer than two difficulty levels") }
        }
        return baselines.map { arm in
            guard let weights = summary.difficultyWeights[arm.name] else {
                return skipped(arm, "\(arm.label) has no questions file")
            }
            guard let hardShare = weights.share(of: hardest), let easyShare = weights.share(of: easiest),
                let referenceHardShare = referenceWeights.share(of: hardest),
                let referenceEasyShare = referenceWeights.share(of: easiest)
            else { return skipped(arm, "\(arm.label) or \(reference.label) has zero total effective weight") }
            let lessOnHardest = hardShare < referenceHardShare
            let moreOnEasiest = easyShare > referenceEasyShare
            let evidence =
                "Share of effective weight on the hardest level (\(hardest.name)): \(arm.label) "
                + "\(ReportFormat.score(hardShare)) vs \(reference.label) \(ReportFormat.score(referenceHardShare)) "
                + "(\(lessOnHardest ? "less" : "not less")); on the easiest level (\(easiest.name)): "
                + "\(ReportFormat.score(easyShare)) vs \(ReportFormat.score(referenceEasyShare)) "
                + "(\(moreOnEasiest ? "more" : "not more"))."
            return ClaimResult(
                label: "f", statement: statement(arm), verdict: lessOnHardest && moreOnEasiest ? .held : .didNotHold,
                evidence: evidence)
        }
    }

    private func statement(_ arm: ArmResult) -> String {
        "\(arm.label) favours easy questions: less of its effective weight on the hardest level and more on the "
            + "easiest than the variational method."
    }

    private func skipped(_ arm: ArmResult, _ reason: String) -> ClaimResult {
        ClaimResult(label: "f", statement: statement(arm), verdict: .skipped, evidence: "Skipped: \(reason).")
    }
}
