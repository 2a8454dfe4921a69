// The verdicts on the paper's claims, with the rule that decides them and the numbers behind each.

/// The claims list.
enum ClaimsSection {
    /// The section listing `claims`.
    static func make(_ claims: [ClaimResult]) -> ReportSection {
        var section = ReportSection()
        section.lines += ["## Claims", ""]
        section.paragraph(
            "Verdict rule: compare the mean overall Avg@k of two arms. A claim **held** when the difference is in "
                + "the claimed direction and larger than the larger of the two arms' seed standard deviations (an "
                + "arm of one seed counts the pooled standard deviation of the arms with several seeds); it "
                + "**did not hold** when the difference is in the opposite direction by more than that; otherwise "
                + "it is **inconclusive (within seed spread)**. \"At least as good\" (b) held unless the other arm "
                + "is better by more than the spread. The bias claim (f) held when the RFT or GRPO arm puts a "
                + "smaller share of its effective weight on the hardest level and a larger share on the easiest "
                + "level than the variational arm of (a), and did not hold otherwise; with several task families, "
                + "a level is one family's, ordered by pi0's Avg@k (see the weight table).")
        let counts = [ClaimVerdict.held, .didNotHold, .inconclusive, .skipped].map { verdict in
            "\(verdict.rawValue): \(claims.count { $0.verdict == verdict })"
        }
        section.paragraph("Summary: " + counts.joined(separator: "; ") + ".")
        section.paragraph(
            claims.map { "- (\($0.label)) \($0.statement) **\($0.verdict.rawValue)**. \($0.evidence)" }
                .joined(separator: "\n"))
        return section
    }
}
