// The experiment's configuration, verbatim, so that the report says exactly what ran.

/// The configuration file in a fenced code block.
enum ConfigurationSection {
    /// The section for `summary`.
    static func make(_ summary: ExperimentSummary) -> ReportSection {
        let text = summary.run.configurationText
        // A fence longer than any run of backticks in the text cannot be closed by it.
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        var trimmed = Substring(text)
        while trimmed.last?.isNewline == true { trimmed = trimmed.dropLast() }
        var section = ReportSection()
        section.lines += ["## Configuration", ""]
        section.paragraph("`\(summary.results.configurationFile)`, verbatim:")
        section.lines += [fence + "json", String(trimmed), fence]
        return section
    }
}
