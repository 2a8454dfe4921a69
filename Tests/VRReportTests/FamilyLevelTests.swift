import Foundation
import Testing
import VRRecords
import VRReport

/// A run with several task families whose levels are not comparable, and the single-seed arms of a run that has
/// its seed spread only from others.
@Suite("families, levels and single seeds")
struct FamilyLevelTests {
    /// pi0 at overall 0.4: addition 0.5, 0.3, 0.1 and parity 0.7, 0.5, 0.3 on levels 1, 2, 3.
    static let initial = ReportFixture.evaluation(0.4, byFamilyAndLevel: true)
    static let variational = ReportFixture.arm(
        "variational-acc", "Variational (Acc)", groups: ["main"], averages: [0.5, 0.6], questions: true,
        byFamilyAndLevel: true)
    static let rft = ReportFixture.arm(
        "rft", "RFT", groups: ["main"], method: "rft", estimator: nil, selection: nil, proposal: "reasoning-model",
        averages: [0.45, 0.5], questions: true, byFamilyAndLevel: true)
    static let easiestFirst = [
        ("parity", 1), ("addition", 1), ("parity", 2), ("addition", 2), ("parity", 3), ("addition", 3),
    ]

    /// One question of each family and level per seed: weight 1 for the variational arm; for RFT its weight and
    /// trace accuracy fall from 0.5 on the easiest group to 0 on the hardest.
    static var files: [String: [String]] {
        let rftWeights = [0.5, 0.3, 0.3, 0.1, 0.1, 0.0]
        var files: [String: [String]] = [:]
        for seed in 1...2 {
            files["arms/variational-acc/seed-\(seed)/questions.jsonl"] = easiestFirst.map {
                ReportFixture.questionLine(difficulty: $0.1, accuracy: 0.5, weight: 1, family: $0.0)
            }
            files["arms/rft/seed-\(seed)/questions.jsonl"] = zip(easiestFirst, rftWeights).map {
                ReportFixture.questionLine(difficulty: $0.1, accuracy: $1, weight: $1, family: $0.0)
            }
        }
        return files
    }

    @Test("[E11] groups are each family's levels, easiest for pi0 first, and claim (f) compares the extremes")
    func familyGroups() throws {
        let directory = try ReportFixture.writeRunDirectory(
            results: ReportFixture.results(
                arms: [ReportFixture.sft, Self.variational, Self.rft], initial: Self.initial),
            files: Self.files)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = ExperimentReport(run: try ExperimentRun.read(from: directory))
        let expected = Self.easiestFirst.map { DifficultyGroup(family: $0.0, level: $0.1) }
        #expect(report.summary.difficultyGroups == expected)
        let rft = try #require(report.summary.difficultyWeights["rft"])
        #expect(rft.groups.map(\.group) == expected)
        let tolerance = 1e-12
        for (weight, share) in zip(rft.groups, [0.5, 0.3, 0.3, 0.1, 0.1, 0.0].map { $0 / 1.3 }) {
            #expect(abs((weight.share ?? -1) - share) < tolerance)
        }
        let claim = try #require(report.claims.first { $0.label == "f" })
        #expect(claim.verdict == .held)
        #expect(
            claim.evidence
                == "Share of effective weight on the hardest level (addition 3): RFT 0.000 vs Variational (Acc) 0.167 "
                + "(less); on the easiest level (parity 1): 0.385 vs 0.167 (more).")
        let readme = try #require(report.files[ExperimentReport.pageFileName])
        #expect(
            readme.contains("| Arm | Family and level | pi0 Avg@4 | Weight share | Mean trace accuracy | Records |"))
        #expect(readme.contains("| RFT | parity 1 | 0.700 | 0.385 | 0.500 | 2 |"))
        #expect(readme.contains("| Variational (Acc) | addition 3 | 0.100 | 0.167 | 0.500 | 2 |"))
        let chart = try #require(report.files["weight-by-difficulty.svg"])
        #expect(chart.contains("parity 1") && chart.contains("Family and level, easiest for pi0 first"))
    }

    @Test("the scores by family and level: Avg@k, then pass@k, of every model in Table 1")
    func familyLevelTables() throws {
        let run = ExperimentRun(
            results: ReportFixture.results(arms: [ReportFixture.sft, Self.variational], initial: Self.initial),
            configurationText: ReportFixture.configurationText, metricsByFile: [:], questionsByFile: [:])
        let readme = try #require(ExperimentReport(run: run).files[ExperimentReport.pageFileName])
        #expect(readme.contains("## Avg@k and pass@k by task family and difficulty level"))
        #expect(readme.contains("| Model | addition 1 | addition 2 | addition 3 | parity 1 | parity 2 | parity 3 |"))
        #expect(
            readme.contains(
                "| pi0 (initial) | 0.500 ± 0.000 | 0.300 ± 0.000 | 0.100 ± 0.000 | 0.700 ± 0.000 | 0.500 ± 0.000 "
                    + "| 0.300 ± 0.000 |"))
        #expect(readme.contains("pass@4:\n\n| Model | addition 1 |"))
        // Variational (Acc) at 0.5 and 0.6: addition 1 is 0.6 and 0.7; pass@k is Avg@k / 2 + 0.5.
        #expect(readme.contains("| Variational (Acc) | 0.650 ± 0.071 | 0.450 ± 0.071 | 0.250 ± 0.071 |"))
        #expect(readme.contains("| Variational (Acc) | 0.825 ± 0.035 | 0.725 ± 0.035 | 0.625 ± 0.035 |"))
        // The SFT arm's runs predate the record: dashes.
        #expect(readme.contains("| SFT | – | – | – | – | – | – |"))
    }

    @Test("an arm of one seed counts the pooled seed spread of the arms with several")
    func singleSeedSpread() throws {
        let largeK = ReportFixture.arm("k8", "K=8", groups: ["k"], traces: 8, averages: [0.5])
        let smallK = ReportFixture.arm("k1", "K=1", groups: ["k"], traces: 1, averages: [0.45])
        let mainAcc = ReportFixture.arm(
            "variational-acc", "Variational (Acc)", groups: ["main"], averages: [0.5, 0.6, 0.7])
        let run = ExperimentRun(
            results: ReportFixture.results(arms: [ReportFixture.sft, mainAcc, largeK, smallK]),
            configurationText: ReportFixture.configurationText, metricsByFile: [:], questionsByFile: [:])
        let report = ExperimentReport(run: run)
        // SFT's 0.2, 0.4 (variance 0.02, 1 degree) and 0.5, 0.6, 0.7 (variance 0.01, 2 degrees).
        let pooled = (0.04 / 3).squareRoot()
        #expect(abs((report.summary.pooledSeedSpread ?? -1) - pooled) < 1e-12)
        let claim = try #require(report.claims.first { $0.label == "d" })
        #expect(claim.verdict == .inconclusive)
        #expect(
            claim.evidence.hasPrefix(
                "Avg@k K=8 0.500 ± 0.000 vs K=1 0.450 ± 0.000: difference +0.050, seed spread 0.115 (a single seed "
                    + "counts the pooled spread of the arms with several seeds)."))
        #expect(
            ClaimVerdict.higher(SeedSummary([0.5])!, than: SeedSummary([0.45])!, singleSeedSpread: pooled)
                == .inconclusive)
        #expect(
            ClaimVerdict.higher(SeedSummary([0.7])!, than: SeedSummary([0.45])!, singleSeedSpread: pooled) == .held)
        // A several-seed arm keeps its own spread even when it is below the pooled one.
        #expect(
            ClaimVerdict.spread(SeedSummary([0.5, 0.52])!, SeedSummary([0.4, 0.42])!, singleSeedSpread: pooled)
                < 0.015)
        let readme = try #require(report.files[ExperimentReport.pageFileName])
        #expect(
            readme.contains("The pooled standard deviation of overall Avg@4 over the arms with several seeds is 0.115.")
        )
    }
}
