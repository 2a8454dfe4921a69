import Foundation
import Testing
import VRRecords
import VRReport

/// The report names one machine when every run names the same, and each run's machine otherwise.
@Suite("machines of the runs")
struct MachineTableTests {
    /// The report's page for `results`.
    func page(_ results: ExperimentResults) -> [String] {
        let run = ExperimentRun(
            results: results, configurationText: ReportFixture.configurationText, metricsByFile: [:],
            questionsByFile: [:])
        return (ExperimentReport(run: run).files[ExperimentReport.pageFileName] ?? "").components(separatedBy: "\n")
    }

    /// The fixture's results ("2 cores, Linux") with the base model and pi0 on `initial`, the SFT arm's two runs on
    /// `sft` and a q pool on `pool` (nil leaves a machine unrecorded).
    func results(initial: String?, sft: [String?], pool: String?) -> ExperimentResults {
        var results = ReportFixture.results(arms: [ReportFixture.sft])
        results.base = results.initial
        results.base?.machine = initial
        results.initial.machine = initial
        for (index, machine) in sft.enumerated() { results.arms[0].runs[index].machine = machine }
        results.pools = [
            PoolRun(source: "q", seed: 1, questions: 8, traces: 4, sampledTokens: 900, wallSeconds: 3, machine: pool)
        ]
        return results
    }

    @Test("one machine line and no table: no run names its machine, or every run names the same")
    func oneMachine() {
        let unrecorded = page(results(initial: nil, sft: [nil, nil], pool: nil))
        #expect(unrecorded.contains("- Machine: 2 cores, Linux"))
        #expect(!unrecorded.contains("### Machines"))
        // Every run on another machine than the invocation that last wrote the results.
        let elsewhere = page(
            results(initial: "AMD, 2 cores", sft: ["AMD, 2 cores", "AMD, 2 cores"], pool: "AMD, 2 cores"))
        #expect(elsewhere.contains("- Machine: AMD, 2 cores"))
        #expect(!elsewhere.contains("### Machines"))
    }

    /// The lines of the page's machine table.
    func table(_ lines: [String]) throws -> [String] {
        let start = try #require(lines.firstIndex(of: "### Machines"))
        return Array(lines[start...].prefix { $0 != "## Avg@k by task family (Table 1)" }).filter { $0.hasPrefix("| ") }
    }

    @Test("runs on several machines: the setup says so and the table names each run's")
    func severalMachines() throws {
        let lines = page(
            results(initial: "AMD, 2 cores", sft: ["AMD, 2 cores", "Intel, 2 cores"], pool: "AMD, 2 cores"))
        #expect(lines.contains("- Machines: each run's is in the table \"Machines\" below"))
        #expect(
            try table(lines) == [
                "| Run | Seed | Machine |", "| :--- | :--- | :--- |",
                "| Base model (its chat format) | - | AMD, 2 cores |",
                "| pi0 (initial) | - | AMD, 2 cores |", "| Trace pool q | 1 | AMD, 2 cores |",
                "| SFT | 1 | AMD, 2 cores |",
                "| SFT | 2 | Intel, 2 cores |",
            ])
    }

    @Test("one machine named and some runs unrecorded: the table shows which are not recorded")
    func partlyRecorded() throws {
        let lines = page(results(initial: nil, sft: [nil, "Intel, 2 cores"], pool: nil))
        #expect(lines.contains("- Machines: each run's is in the table \"Machines\" below"))
        let rows = try table(lines)
        #expect(rows.contains("| pi0 (initial) | - | not recorded |"))
        #expect(rows.contains("| SFT | 2 | Intel, 2 cores |"))
    }

    @Test("a run recorded before runs named their machine reads back without one")
    func olderRecord() throws {
        var run = ReportFixture.sft.runs[0]
        run.machine = "AMD, 2 cores"
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(run)) as? [String: Any])
        #expect(object.removeValue(forKey: "machine") as? String == "AMD, 2 cores")
        let older = try JSONDecoder().decode(ArmRun.self, from: JSONSerialization.data(withJSONObject: object))
        run.machine = nil
        #expect(older == run)
    }
}
