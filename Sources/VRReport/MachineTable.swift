// Where each run of an experiment ran, for runs that span machines.

import VRRecords

/// The machines of an experiment's runs: one line when they all name the same, else a table.
enum MachineTable {
    /// The machines `results` names, in one place: the base model's and pi0's scores, each trace pool and each
    /// arm's run.
    private static func rows(_ results: ExperimentResults) -> [(run: String, seed: String, machine: String?)] {
        var rows: [(run: String, seed: String, machine: String?)] = []
        if let base = results.base { rows.append((ExperimentSummary.baseLabel, "-", base.machine)) }
        rows.append((ExperimentSummary.initialLabel, "-", results.initial.machine))
        for pool in results.pools ?? [] { rows.append(("Trace pool \(pool.source)", "\(pool.seed)", pool.machine)) }
        for arm in results.arms {
            for run in arm.runs { rows.append((arm.label, "\(run.seed)", run.machine)) }
        }
        return rows
    }

    /// The one machine every run names, or nil when they name several or some name none; the results' own when no
    /// run names its machine (results written before runs kept them).
    static func soleMachine(_ results: ExperimentResults) -> String? {
        let machines = rows(results).map(\.machine)
        let named = Set(machines.compactMap { $0 })
        if named.isEmpty { return results.machine }
        return named.count == 1 && !machines.contains(nil) ? named.first : nil
    }

    /// The setup's machine line.
    static func setupLine(_ results: ExperimentResults) -> String {
        soleMachine(results).map { "- Machine: \($0)" } ?? "- Machines: each run's is in the table \"Machines\" below"
    }

    /// The table of each run's machine; nil when `setupLine` names the one machine.
    static func table(_ results: ExperimentResults) -> MarkdownTable? {
        guard soleMachine(results) == nil else { return nil }
        var table = MarkdownTable(header: ["Run", "Seed", "Machine"], textColumnCount: 3)
        table.rows = rows(results).map { [$0.run, $0.seed, $0.machine ?? "not recorded"] }
        return table
    }
}
