// The ablations laid out like the paper's Tables 4-5: one table per comparison group, overall scores and budget.

import VRRecords

/// The ablation tables of groups `k`, `estimator`, `selection` and `hint`.
enum AblationSection {
    /// A comparison group: its name in the results, its heading and the attribute that tells its arms apart.
    private struct Group: Sendable {
        let name: String
        let heading: String
        let attributeTitle: String
        let attribute: @Sendable (ArmResult) -> String?
    }

    private static let groups = [
        Group(
            name: "k", heading: "Traces per question K", attributeTitle: "K",
            attribute: { $0.traces.map(String.init) }),
        Group(
            name: "estimator", heading: "Estimator: Acc vs GML", attributeTitle: "Estimator",
            attribute: { $0.estimator }),
        Group(
            name: "selection", heading: "Selection: all K weighted vs best single trace", attributeTitle: "Selection",
            attribute: { $0.selection }),
        Group(
            name: "hint", heading: "Hint: q with the worked solution, q with the answer only, traces from pi0",
            attributeTitle: "Proposal (hint)",
            attribute: { arm in arm.proposal.map { $0 + (arm.hint.map { " (\($0))" } ?? "") } }),
    ]

    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        var section = ReportSection()
        section.lines += ["## Ablations", ""]
        section.paragraph(
            "Overall Avg@\(summary.k) and pass@\(summary.k) (mean ± std over seeds) and sampled tokens (mean over "
                + "seeds) of each comparison group, as in the paper's Tables 4-5.")
        for group in groups {
            section.lines += ["### \(group.heading)", ""]
            let arms =
                group.name == "k"
                ? summary.results.armsByTraces(inGroup: group.name) : summary.results.arms(inGroup: group.name)
            guard !arms.isEmpty else {
                section.paragraph("The run has no arm in group \"\(group.name)\".")
                continue
            }
            var table = MarkdownTable(
                header: [
                    "Arm", group.attributeTitle, "Seeds", "Avg@\(summary.k)", "pass@\(summary.k)", "Sampled tokens",
                ], textColumnCount: 2)
            for arm in arms {
                let armSummary = summary.summary(of: arm)
                table.rows.append([
                    arm.label, group.attribute(arm) ?? "–", "\(arm.runs.count)",
                    ScoreTablesSection.cell(armSummary?.overall.averageAtK),
                    ScoreTablesSection.cell(armSummary?.overall.passAtK),
                    armSummary.map { ReportFormat.count($0.sampledTokens.mean) } ?? "–",
                ])
            }
            section.table(table)
        }
        return section
    }
}
