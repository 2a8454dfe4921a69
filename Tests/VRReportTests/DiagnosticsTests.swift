import Foundation
import Testing
import VRReport

/// The diagnostics section: start and end values of the model-phase step metrics, and their charts.
extension ExperimentReportTests {
    @Test("the diagnostics sit right before the claims")
    func diagnosticsPlacement() throws {
        let headings = readme.components(separatedBy: "\n").filter { $0.hasPrefix("## ") }
        let index = try #require(headings.firstIndex(of: "## Diagnostics"))
        #expect(headings[index + 1] == "## Claims")
    }

    @Test("the diagnostics table averages seeds per model step, then the first and last tenth of the steps")
    func diagnosticsTable() {
        let rows = section("## Diagnostics").filter { $0.hasPrefix("|") }
        // Variational (Acc), 2 model steps so a window of 1: step 1 averages seeds 1-3, step 2 seeds 1-2 (seed 1's
        // posterior lines left out). ESS (2.2 + 3 + 2.5) / 3 = 2.57 → 1.4 (seed 2's null skipped); zero-weight
        // share (1/4 + 0 + 2/4) / 3 → (3/4 + 1/4) / 2; bound (-3 - 2) / 2 (seed 3's null skipped) → (-1.5 - 1) / 2;
        // trace accuracy (0.4 + 0.2 + 0.3) / 3 → (0.6 + 0.5) / 2; trace length (120 + 100 + 110) / 3 → (60 + 80) / 2.
        // RFT, 20 model steps so a window of 2: ESS per step 1.2 + i / 5, so (1.4 + 1.6) / 2 → (5.0 + 5.2) / 2;
        // zero-weight share (2/4 + 1/4) / 2 → (1/4 + 0) / 2; trace accuracy 0.35 + 0.02 i, so (0.37 + 0.39) / 2 →
        // (0.73 + 0.75) / 2; no bound and no trace length.
        #expect(
            rows == [
                "| Arm | K | ESS | Zero-weight share | Bound | Trace accuracy | Trace length (tokens) |",
                "| :--- | ---: | ---: | ---: | ---: | ---: | ---: |",
                "| Variational (Acc) | 4 | 2.6 → 1.4 | 0.250 → 0.500 | -2.500 → -1.250 | 0.300 → 0.550 | 110.0 → 70.0 |",
                "| RFT | 4 | 1.5 → 5.1 | 0.375 → 0.125 | n/a | 0.380 → 0.740 | n/a |",
            ])
    }

    @Test("arm diagnostics count the longest seed's model steps and leave out missing values")
    func armDiagnostics() throws {
        let run = report.summary.run
        let variational = try #require(ArmDiagnostics(arm: ReportFixture.variationalAcc, run: run))
        let rft = try #require(ArmDiagnostics(arm: ReportFixture.rft, run: run))
        #expect(ArmDiagnostics(arm: ReportFixture.grpo, run: run) == nil)
        #expect(variational.modelSteps == 2 && rft.modelSteps == 20)
        #expect(variational.traceTokens.map(\.y) == [110, 70])
        #expect(rft.traceTokens.isEmpty && rft.bound.isEmpty)
        let traceTokens = rft.startAndEnd(of: rft.traceTokens)
        #expect(traceTokens.first == nil && traceTokens.last == nil)
        let ess = rft.startAndEnd(of: rft.effectiveSampleSize)
        #expect(abs((ess.first ?? 0) - 1.5) < 1e-12 && abs((ess.last ?? 0) - 5.1) < 1e-12)
        #expect(variational.effectiveSampleSize.map(\.x) == [1, 2])
        #expect(variational.effectiveSampleSize[1].spread == 0)
    }

    @Test("the diagnostics charts parse as SVG, name their arms and are shown in the section")
    func diagnosticsCharts() throws {
        let lines = section("## Diagnostics")
        for (fileName, labels, absent) in [
            ("diagnostics-ess-main.svg", ["Variational (Acc)", "RFT"], [String]()),
            ("diagnostics-ess-k.svg", ["Variational (Acc)"], ["RFT"]),
            ("diagnostics-trace-length-main.svg", ["Variational (Acc)"], ["RFT"]),
        ] {
            let svg = try #require(report.files[fileName])
            let parsed = try #require(SVGCollector.parse(svg), "\(fileName) is not well-formed XML")
            #expect(parsed.elements.first == "svg")
            for label in labels { #expect(parsed.text.contains(label), "\(fileName) lacks \(label)") }
            for label in absent { #expect(!parsed.text.contains(label), "\(fileName) shows \(label)") }
            #expect(lines.contains { $0.hasPrefix("![") && $0.hasSuffix("](\(fileName))") })
        }
    }

    @Test("without trace lengths the trace length chart is left out, without metrics the whole table")
    func diagnosticsWithoutData() throws {
        let rftOnly = try ReportFixture.writeRunDirectory(
            results: ReportFixture.results(arms: [ReportFixture.rft]),
            files: ReportFixture.learnerFiles.filter { $0.key.hasPrefix("arms/rft/") })
        let noMetrics = try ReportFixture.writeRunDirectory(
            results: ReportFixture.results(arms: [ReportFixture.grpo]),
            files: ReportFixture.learnerFiles.filter { $0.key.hasPrefix("arms/grpo/") })
        defer {
            try? FileManager.default.removeItem(at: rftOnly)
            try? FileManager.default.removeItem(at: noMetrics)
        }
        let rftReport = ExperimentReport(run: try ExperimentRun.read(from: rftOnly))
        let rftPage = rftReport.files[ExperimentReport.pageFileName] ?? ""
        #expect(rftReport.files["diagnostics-ess-main.svg"] != nil)
        #expect(rftReport.files.keys.allSatisfy { !$0.hasPrefix("diagnostics-trace-length") })
        #expect(rftPage.contains("\nNo arm recorded trace lengths.\n"))
        #expect(rftPage.contains("| RFT | 4 | 1.5 → 5.1 | 0.375 → 0.125 | n/a | 0.380 → 0.740 | n/a |"))
        let emptyReport = ExperimentReport(run: try ExperimentRun.read(from: noMetrics))
        let emptyPage = emptyReport.files[ExperimentReport.pageFileName] ?? ""
        #expect(emptyPage.contains("## Diagnostics\n\nNo arm recorded step metrics.\n\n## Claims"))
        #expect(emptyReport.files.keys.allSatisfy { !$0.hasPrefix("diagnostics-") })
    }
}
