import Foundation
import Testing
import VRLearner
import VRRecords
import VRReport

/// The verdict rule and the arms each claim compares.
@Suite("claims")
struct ClaimTests {
    static func summary(_ values: [Double]) -> SeedSummary {
        SeedSummary(values)!
    }

    @Test("higher: held beyond the spread, did not hold below minus the spread, inconclusive within")
    func higherRule() {
        // Spread 0.1 (the larger std); means 0.6 against 0.45, 0.55, 0.65 and 0.75.
        let claimed = Self.summary([0.5, 0.6, 0.7])
        #expect(ClaimVerdict.higher(claimed, than: Self.summary([0.45])) == .held)
        #expect(ClaimVerdict.higher(claimed, than: Self.summary([0.55])) == .inconclusive)
        #expect(ClaimVerdict.higher(claimed, than: Self.summary([0.65])) == .inconclusive)
        #expect(ClaimVerdict.higher(claimed, than: Self.summary([0.75])) == .didNotHold)
        // The other arm's spread counts too: 0.212 (of 0.25, 0.55) against 0.1, with a difference of 0.2.
        #expect(ClaimVerdict.higher(claimed, than: Self.summary([0.25, 0.55])) == .inconclusive)
        // One seed each: no spread, any difference decides.
        #expect(ClaimVerdict.higher(Self.summary([0.51]), than: Self.summary([0.5])) == .held)
    }

    @Test("at least as good: held unless the other is better by more than the spread")
    func atLeastAsHighRule() {
        let claimed = Self.summary([0.5, 0.6, 0.7])
        #expect(ClaimVerdict.atLeastAsHigh(claimed, as: Self.summary([0.65])) == .held)
        #expect(ClaimVerdict.atLeastAsHigh(claimed, as: Self.summary([0.2])) == .held)
        #expect(ClaimVerdict.atLeastAsHigh(claimed, as: Self.summary([0.75])) == .didNotHold)
    }

    @Test("the variational reference arm is the main Acc, weighted, hinted arm with most traces")
    func referenceArm() {
        let fewer = ReportFixture.arm("variational-k2", "K=2", groups: ["main"], traces: 2, averages: [0.5])
        let more = ReportFixture.arm("variational-k8", "K=8", groups: ["main"], traces: 8, averages: [0.5])
        let outside = ReportFixture.arm("variational-k16", "K=16", groups: ["k"], traces: 16, averages: [0.5])
        let gml = ReportFixture.arm("gml-k32", "GML", groups: ["main"], estimator: "gml", traces: 32, averages: [0.5])
        let results = ReportFixture.results(arms: [fewer, more, outside, gml, ReportFixture.sft])
        #expect(results.variationalReferenceArm?.name == "variational-k8")
        #expect(ReportFixture.results(arms: [ReportFixture.sft]).variationalReferenceArm == nil)
    }

    @Test("claims whose arms are missing are skipped with the missing arms named")
    func skippedClaims() throws {
        let run = ExperimentRun(
            results: ReportFixture.results(arms: [ReportFixture.sft]),
            configurationText: ReportFixture.configurationText, metricsByFile: [:], questionsByFile: [:])
        let report = ExperimentReport(run: run)
        #expect(report.claims.map(\.label) == ["a", "b", "c", "d", "e", "f"])
        #expect(report.claims.allSatisfy { $0.verdict == .skipped })
        #expect(
            report.claims[0].evidence
                == "Skipped: the run has no \"main\" arm with method variational, estimator acc, selection weighted "
                + "and proposal hinted-posterior.")
        #expect(
            report.claims[1].evidence
                == "Skipped: the run has no \"estimator\" arm with estimator acc and no \"estimator\" arm with "
                + "estimator gml.")
        #expect(report.claims[3].evidence == "Skipped: the run has no two \"k\" arms with different K.")
        #expect(report.claims[5].evidence == "Skipped: the run has no arm with method rft or grpo.")
        let readme = try #require(report.files[ExperimentReport.pageFileName])
        #expect(readme.contains("Summary: held: 0; did not hold: 0; inconclusive (within seed spread): 0; skipped: 6."))
        #expect(readme.contains("No arm recorded question weights."))
        #expect(readme.contains("No arm recorded step metrics."))
        #expect(report.files.keys.sorted() == ["README.md", "avg-pass-at-k.svg"])
    }

    @Test("[E11] RFT without the variational arm's weights is skipped, and mixed shares do not hold")
    func biasClaimEdges() throws {
        let directory = try ReportFixture.writeRunDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try ExperimentRun.read(from: directory)
        var withoutWeights = run
        withoutWeights.questionsByFile = withoutWeights.questionsByFile.filter { !$0.key.contains("variational") }
        let skipped = ExperimentReport(run: withoutWeights).claims.filter { $0.label == "f" }
        #expect(skipped.map(\.verdict) == [.skipped, .skipped])
        #expect(skipped[0].evidence.contains("no variational reference arm (see (a)) with a questions file"))
        // RFT with less weight on the hardest level but not more on the easiest: the claim does not hold.
        var mixed = run
        mixed.questionsByFile["arms/rft/seed-1/questions.jsonl"] = []
        mixed.questionsByFile["arms/rft/seed-2/questions.jsonl"] = try [
            ReportFixture.questionLine(difficulty: 1, accuracy: 0.9, weight: 0.1),
            ReportFixture.questionLine(difficulty: 2, accuracy: 0.6, weight: 1.8),
            ReportFixture.questionLine(difficulty: 3, accuracy: 0.1, weight: 0.1),
        ].map { try JSONDecoder().decode(QuestionWeightRecord.self, from: Data($0.utf8)) }
        let rft = try #require(ExperimentReport(run: mixed).claims.first { $0.statement.hasPrefix("RFT") })
        #expect(rft.verdict == .didNotHold)
        #expect(rft.evidence.contains("0.050 vs Variational (Acc) 0.333 (less)"))
        #expect(rft.evidence.contains("0.050 vs 0.333 (not more)"))
    }
}
