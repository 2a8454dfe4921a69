import Foundation
import Testing
import VRReport

/// The report of the synthetic run: tables, verdicts, weight shares and determinism.
@Suite("experiment report")
final class ExperimentReportTests {
    let directory: URL
    let report: ExperimentReport

    init() throws {
        directory = try ReportFixture.writeRunDirectory()
        report = ExperimentReport(run: try ExperimentRun.read(from: directory))
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var readme: String { report.files[ExperimentReport.pageFileName] ?? "" }

    /// The lines of the section under `heading`, up to the next heading of the same or a higher level.
    func section(_ heading: String) -> [String] {
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        let level = heading.prefix { $0 == "#" }.count
        let end = lines[(start + 1)...].firstIndex {
            $0.hasPrefix("#") && $0.prefix { $0 == "#" }.count <= level
        }
        return Array(lines[start..<(end ?? lines.endIndex)])
    }

    @Test("the page has its sections in order")
    func headings() {
        let headings = readme.components(separatedBy: "\n").filter { $0.hasPrefix("#") }
        #expect(
            headings == [
                "# Results: miniature", "## Setup", "## Budget", "## Avg@k by task family (Table 1)",
                "## pass@k by task family", "## Avg@k by difficulty level", "## Ablations", "### Traces per question K",
                "### Estimator: Acc vs GML", "### Selection: all K weighted vs best single trace",
                "### Hint: q with the worked solution, q with the answer only, traces from pi0",
                "## Weight by difficulty level (bias of RFT and GRPO)",
                "## Training curves", "## Avg@k and pass@k per arm", "## Avg@k and pass@k against K", "## Diagnostics",
                "## Claims", "## Configuration",
            ])
    }

    @Test("the setup names the run and sums the wall time; the budget averages over seeds")
    func setupAndBudget() {
        let setup = section("## Setup")
        #expect(
            setup.contains(
                "- Command (of the invocation that wrote these results): "
                    + "`vr experiment --config miniature.json --run runs/miniature`"))
        #expect(setup.contains("- Machine: 2 cores, Linux"))
        // 8 arms of 2 seeds (10 + 11 s) and one of 3 seeds (10 + 11 + 12 s).
        #expect(setup.contains("- Total wall time: 201.0 s over 9 arms"))
        // Every arm's optimizer state and schedule is stated, with each arm's peak rate.
        #expect(
            setup.contains(
                "- Every arm trains pi with: AdamW from a fresh state, linear warmup over 5 steps; the "
                    + "peak learning rate is in the budget table."))
        // Results written before modes and trained tokens were recorded show dashes there.
        let budget = section("## Budget")
        #expect(budget.contains("| Variational (Acc) | variational | - | 3 | 0.0003 | 11.0 | 4 | 2 | 4100 | - |"))
        #expect(budget.contains("| SFT | sft | - | 2 | 0.0003 | 10.5 | 4 | 2 | 50 | - |"))
        #expect(budget.contains("| GRPO (0/1 & std) | grpo | - | 2 | 0.0001 | 10.5 | 4 | 2 | 4050 | - |"))
    }

    @Test("Table 1 has pi0 and the main arms, mean ± sample std per family and the family average")
    func tableOne() {
        let table = section("## Avg@k by task family (Table 1)")
        #expect(table.contains("| Model | addition | parity | Average |"))
        #expect(table.contains("| pi0 (initial) | 0.100 ± 0.000 | 0.300 ± 0.000 | 0.200 ± 0.000 |"))
        // SFT: addition 0.1, 0.3; parity 0.3, 0.5; per-seed averages 0.2, 0.4; std sqrt(0.02) = 0.141.
        #expect(table.contains("| SFT | 0.200 ± 0.141 | 0.400 ± 0.141 | 0.300 ± 0.141 |"))
        // Three seeds: 0.4, 0.5, 0.6 has std sqrt(0.02 / 2) = 0.1.
        #expect(table.contains("| Variational (Acc) | 0.500 ± 0.100 | 0.700 ± 0.100 | 0.600 ± 0.100 |"))
        #expect(table.contains("| Variational (GML) | 0.540 ± 0.028 | 0.740 ± 0.028 | 0.640 ± 0.028 |"))
        #expect(table.contains("| GRPO (0/1 & std) | 0.350 ± 0.141 | 0.550 ± 0.141 | 0.450 ± 0.141 |"))
        #expect(!table.contains { $0.hasPrefix("| Variational K=1 ") })
        let passTable = section("## pass@k by task family")
        #expect(passTable.contains("| pi0 (initial) | 0.550 ± 0.000 | 0.650 ± 0.000 | 0.600 ± 0.000 |"))
        #expect(passTable.contains("| SFT | 0.600 ± 0.071 | 0.700 ± 0.071 | 0.650 ± 0.071 |"))
        #expect(passTable.contains("| Variational (Acc) | 0.750 ± 0.050 | 0.850 ± 0.050 | 0.800 ± 0.050 |"))
    }

    @Test("the difficulty table gives Avg@k per level")
    func difficultyTable() {
        let table = section("## Avg@k by difficulty level")
        #expect(table.contains("| Model | Level 1 | Level 2 | Level 3 |"))
        #expect(table.contains("| Variational (Acc) | 0.800 ± 0.100 | 0.600 ± 0.100 | 0.400 ± 0.100 |"))
        #expect(table.contains("| pi0 (initial) | 0.400 ± 0.000 | 0.200 ± 0.000 | 0.000 ± 0.000 |"))
    }

    @Test("the ablation tables list their groups, K ascending")
    func ablations() {
        let traces = section("### Traces per question K")
        let rows = traces.filter { $0.hasPrefix("| Variational") }
        #expect(
            rows == [
                "| Variational K=1 | 1 | 2 | 0.300 ± 0.000 | 0.650 ± 0.000 | 1050 |",
                "| Variational K=2 | 2 | 2 | 0.720 ± 0.057 | 0.860 ± 0.028 | 2050 |",
                "| Variational (Acc) | 4 | 3 | 0.600 ± 0.100 | 0.800 ± 0.050 | 4100 |",
            ])
        #expect(
            section("### Estimator: Acc vs GML").contains(
                "| Variational (GML) | gml | 2 | 0.640 ± 0.028 | 0.820 ± 0.014 | 4050 |"))
        #expect(
            section("### Selection: all K weighted vs best single trace").contains(
                "| Variational (best trace) | best | 2 | 0.560 ± 0.014 | 0.780 ± 0.007 | 4050 |"))
        let hint = section("### Hint: q with the worked solution, q with the answer only, traces from pi0")
        #expect(
            hint.contains(
                "| Variational (traces from pi0) | unhinted-posterior | 2 | 0.800 ± 0.000 | 0.900 ± 0.000 | 4050 |"))
        #expect(
            hint.contains(
                "| Variational (Acc) | hinted-posterior (worked-solution) | 3 | 0.600 ± 0.100 | 0.800 ± 0.050 | 4100 |"
            ))
    }

    @Test("[E11] [E12] weight shares per level are pooled over seeds")
    func weightShares() throws {
        let variational = try #require(report.summary.difficultyWeights["variational-acc"])
        let rft = try #require(report.summary.difficultyWeights["rft"])
        let grpo = try #require(report.summary.difficultyWeights["grpo"])
        let tolerance = 1e-12
        for (weights, expected) in [
            (variational, [1.0 / 3, 1.0 / 3, 1.0 / 3]), (rft, [1.8 / 3.4, 1.2 / 3.4, 0.4 / 3.4]),
            (grpo, [0.5 / 6.5, 2 / 6.5, 4 / 6.5]),
        ] {
            #expect(weights.groups.map(\.group) == [1, 2, 3].map { DifficultyGroup(level: $0) })
            for (group, share) in zip(weights.groups, expected) {
                #expect(abs((group.share ?? -1) - share) < tolerance)
            }
        }
        #expect(variational.groups.map(\.recordCount) == [3, 3, 6])
        #expect(abs((variational.groups[2].meanTraceAccuracy ?? -1) - 0.1) < tolerance)
        #expect(report.summary.difficultyWeights["sft"] == nil)
        let table = section("## Weight by difficulty level (bias of RFT and GRPO)")
        #expect(table.contains("| RFT | 1 | 0.400 | 0.529 | 0.900 | 2 |"))
        #expect(table.contains("| RFT | 3 | 0.000 | 0.118 | 0.200 | 2 |"))
        #expect(table.contains("| GRPO (0/1 & std) | 3 | 0.000 | 0.615 | 0.200 | 2 |"))
        #expect(table.contains("| Variational (Acc) | 3 | 0.000 | 0.333 | 0.100 | 6 |"))
    }

    @Test("each claim gets the verdict its numbers call for")
    func claims() {
        let verdicts = report.claims.map { "\($0.label) \($0.verdict.rawValue)" }
        #expect(
            verdicts == [
                "a held", "b held", "c did not hold", "d held", "e inconclusive (within seed spread)", "f held",
                "f did not hold",
            ])
        let evidence = report.claims.map(\.evidence)
        #expect(
            evidence.first
                == "Avg@k Variational (Acc) 0.600 ± 0.100 vs SFT 0.300 ± 0.141: difference +0.300, seed spread 0.141.")
        #expect(evidence[1].contains("Variational (GML) 0.640 ± 0.028: difference -0.040, seed spread 0.100"))
        #expect(evidence[3].hasSuffix("Mean Avg@k by K: K=1 0.300, K=2 0.720, K=4 0.600; not monotone in K."))
        #expect(
            evidence[5]
                == "Share of effective weight on the hardest level (3): RFT 0.118 vs Variational (Acc) 0.333 (less); "
                + "on the easiest level (1): 0.529 vs 0.333 (more).")
        let claims = section("## Claims")
        #expect(claims.contains("Summary: held: 4; did not hold: 2; inconclusive (within seed spread): 1; skipped: 0."))
        #expect(claims.contains { $0.hasPrefix("- (c) The hint matters") && $0.contains("**did not hold**.") })
    }

    @Test("the training curves number model steps per seed and average the seeds that reached them")
    func trainingCurves() throws {
        let run = report.summary.run
        let seeds = ReportFixture.variationalAcc.runs.compactMap { run.metrics(of: $0) }
        #expect(seeds.count == 3)
        let loss = TrainingCurve.modelPhase(seeds) { $0.loss }
        let accuracy = TrainingCurve.modelPhase(seeds) { $0.meanAccuracy }
        let tolerance = 1e-12
        #expect(loss.map(\.x) == [1, 2])
        #expect(abs(loss[0].y - 2.5) < tolerance && abs(loss[0].spread - 0.5) < tolerance)
        #expect(abs(loss[1].y - 1.5) < tolerance && abs(loss[1].spread - 0.5.squareRoot()) < tolerance)
        #expect(abs(accuracy[0].y - 0.3) < tolerance && abs(accuracy[0].spread - 0.1) < tolerance)
        #expect(abs(accuracy[1].y - 0.55) < tolerance)
    }

    @Test("the configuration is included verbatim")
    func configuration() {
        #expect(readme.contains("```json\n" + ReportFixture.configurationText + "```\n"))
    }

    @Test("writing twice gives the same files, byte for byte")
    func deterministic() throws {
        let first = directory.appendingPathComponent("report-1")
        let second = directory.appendingPathComponent("report-2")
        let written = try ExperimentReport.write(runDirectory: directory, outputDirectory: first)
        try ExperimentReport.write(runDirectory: directory, outputDirectory: second)
        #expect(
            written.map(\.lastPathComponent) == [
                "README.md", "avg-pass-at-k.svg", "diagnostics-ess-ablations.svg", "diagnostics-ess-k.svg",
                "diagnostics-ess-main.svg", "diagnostics-trace-length-ablations.svg", "diagnostics-trace-length-k.svg",
                "diagnostics-trace-length-main.svg", "k-curve.svg", "training-accuracy-ablations.svg",
                "training-accuracy-k.svg", "training-accuracy-main.svg", "training-loss-ablations.svg",
                "training-loss-k.svg", "training-loss-main.svg", "weight-by-difficulty.svg",
            ])
        for file in written {
            let copy = second.appendingPathComponent(file.lastPathComponent)
            #expect(try Data(contentsOf: file) == Data(contentsOf: copy))
        }
        #expect(try String(contentsOf: first.appendingPathComponent("README.md"), encoding: .utf8) == readme)
    }
}
