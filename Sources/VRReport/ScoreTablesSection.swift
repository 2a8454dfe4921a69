// Table 1 of the paper in miniature: the main arms and pi0 by task family, for Avg@k and for pass@k, and the
// same rows by difficulty level and, where the runs report it, by family and level.

/// The tables of the initial model and the `main` arms.
enum ScoreTablesSection {
    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        let results = summary.results
        let baseRows = summary.base.map { [(ExperimentSummary.baseLabel, $0)] } ?? []
        let rows =
            baseRows + [(ExperimentSummary.initialLabel, summary.initial)]
            + results.arms(inGroup: "main").map { ($0.label, summary.summary(of: $0)) }
        var section = ReportSection()
        section.lines += ["## Avg@k by task family (Table 1)", ""]
        section.paragraph(
            "Avg@\(summary.k) of "
                + (baseRows.isEmpty
                    ? "" : "the pretrained base model (asked in its own chat format to end with 'Answer: N'), ")
                + "the initial model pi0 and the arms of group \"main\"; Average is the mean over task families within "
                + "each seed, then over seeds.")
        section.table(familyTable(rows: rows, families: results.families, score: \.averageAtK))
        section.lines += ["## pass@k by task family", ""]
        section.paragraph("pass@\(summary.k) of the same models.")
        section.table(familyTable(rows: rows, families: results.families, score: \.passAtK))
        section.lines += ["## Avg@k by difficulty level", ""]
        section.paragraph("Avg@\(summary.k) of the same models on each difficulty level.")
        var difficultyTable = MarkdownTable(header: ["Model"] + results.difficulties.map { "Level \($0)" })
        for (label, armSummary) in rows {
            difficultyTable.rows.append(
                [label] + results.difficulties.map { cell(armSummary?.byDifficulty[$0]?.averageAtK) })
        }
        section.table(difficultyTable)
        let familyLevels = results.families.flatMap { family in
            Set(rows.flatMap { $0.1?.byFamilyAndDifficulty[family]?.keys.map { $0 } ?? [] }).sorted().map {
                DifficultyGroup(family: family, level: $0)
            }
        }
        guard !familyLevels.isEmpty else { return section }
        section.lines += ["## Avg@k and pass@k by task family and difficulty level", ""]
        section.paragraph(
            "Avg@\(summary.k) of the same models on each family's levels (a level means something else in each "
                + "family):")
        section.table(groupTable(rows: rows, groups: familyLevels, score: \.averageAtK))
        section.paragraph("pass@\(summary.k):")
        section.table(groupTable(rows: rows, groups: familyLevels, score: \.passAtK))
        return section
    }

    /// A table with one row per model and one column per group of questions.
    private static func groupTable(
        rows: [(String, ArmSummary?)], groups: [DifficultyGroup], score: KeyPath<ScoreSummary, SeedSummary>
    ) -> MarkdownTable {
        var table = MarkdownTable(header: ["Model"] + groups.map(\.name))
        for (label, armSummary) in rows {
            table.rows.append([label] + groups.map { cell(armSummary?.scores(of: $0)?[keyPath: score]) })
        }
        return table
    }

    /// A table with one row per model and one column per family, then the family average.
    private static func familyTable(
        rows: [(String, ArmSummary?)], families: [String], score: KeyPath<ScoreSummary, SeedSummary>
    ) -> MarkdownTable {
        var table = MarkdownTable(header: ["Model"] + families + ["Average"])
        for (label, armSummary) in rows {
            let familyCells = families.map { cell(armSummary?.byFamily[$0]?[keyPath: score]) }
            table.rows.append([label] + familyCells + [cell(armSummary?.familyAverage?[keyPath: score])])
        }
        return table
    }

    /// `mean ± std`, or a dash for a score the runs do not report.
    static func cell(_ score: SeedSummary?) -> String {
        score.map(ReportFormat.score) ?? "–"
    }
}
