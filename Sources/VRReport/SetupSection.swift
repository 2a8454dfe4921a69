// The report's first part: what ran, where, for how long, and the budget each arm spent.

/// The title, the setup and the budget table.
enum SetupSection {
    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        let results = summary.results
        let poolSeconds = (results.pools ?? []).reduce(0) { $0 + $1.wallSeconds }
        let totalWallSeconds = results.arms.flatMap(\.runs).reduce(results.initial.wallSeconds + poolSeconds) {
            $0 + $1.wallSeconds
        }
        var section = ReportSection()
        section.lines += ["# Results: \(results.name)", "", "## Setup", ""]
        section.paragraph(
            [
                "- Command (of the invocation that wrote these results): `\(results.command)`",
                MachineTable.setupLine(results),
                "- Evaluation: Avg@\(summary.k) and pass@\(summary.k), k = \(summary.k) samples per test question "
                    + "at temperature \(results.temperature)",
                "- Task families: \(results.families.joined(separator: ", ")); difficulty levels: "
                    + results.difficulties.map(String.init).joined(separator: ", "),
                "- Total wall time: \(ReportFormat.seconds(totalWallSeconds)) s over \(results.arms.count) arms",
                "- Scores are mean ± sample standard deviation over seeds (n - 1; 0 for one seed)."
                    + (summary.pooledSeedSpread.map {
                        " The pooled standard deviation of overall Avg@\(summary.k) over the arms with several seeds "
                            + "is \(ReportFormat.score($0))."
                    } ?? ""),
            ].joined(separator: "\n")
                + (results.schedule.map {
                    "\n- Every arm trains pi with: \($0); the peak learning rate is in the budget table."
                } ?? ""))
        section.lines += ["## Budget", ""]
        section.paragraph(
            "Means over each arm's seeds. An offline arm's sampled tokens are those of the pooled traces it drew on; "
                + "the pools' own cost is in the next table, and its wall time is not in the arm's.")
        var table = MarkdownTable(
            header: [
                "Arm", "Method", "Mode", "Seeds", "Peak learning rate", "Wall time per seed (s)", "Model steps",
                "Posterior steps", "Sampled tokens", "Trained tokens",
            ], textColumnCount: 3)
        for arm in results.arms {
            guard let armSummary = summary.summary(of: arm) else { continue }
            table.rows.append([
                arm.label, arm.method, arm.mode ?? "-", "\(arm.runs.count)", arm.learningRate.map { "\($0)" } ?? "-",
                ReportFormat.seconds(armSummary.wallSeconds.mean),
                ReportFormat.count(armSummary.modelSteps.mean), ReportFormat.count(armSummary.posteriorSteps.mean),
                ReportFormat.count(armSummary.sampledTokens.mean),
                armSummary.trainedTokens.map { ReportFormat.count($0.mean) } ?? "-",
            ])
        }
        section.table(table)
        if let pools = results.pools, !pools.isEmpty {
            section.lines += ["### Trace pools", ""]
            section.paragraph(
                "The offline arms' traces, sampled once per source and seed by `vr build-data` and scored with pi0.")
            var poolTable = MarkdownTable(
                header: ["Source", "Seed", "Questions", "Traces per question", "Sampled tokens", "Wall time (s)"],
                textColumnCount: 1)
            for pool in pools {
                poolTable.rows.append([
                    pool.source, "\(pool.seed)", "\(pool.questions)", "\(pool.traces)", "\(pool.sampledTokens)",
                    ReportFormat.seconds(pool.wallSeconds),
                ])
            }
            section.table(poolTable)
        }
        if let machines = MachineTable.table(results) {
            section.lines += ["### Machines", ""]
            section.paragraph(
                "Each run's machine: where the base model's and pi0's scores were measured, a pool sampled, an arm "
                    + "trained and evaluated. An arm trains from the pi0 of the run directory it ran in; a machine "
                    + "whose run directory lacked it trained pi0 again, with the same configuration and seed.")
            section.table(machines)
        }
        return section
    }
}
