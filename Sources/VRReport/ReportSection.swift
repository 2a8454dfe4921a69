// A part of the report: its Markdown lines and the charts those lines show.

/// Markdown lines and the SVG charts they link, keyed by file name.
struct ReportSection {
    /// The Markdown lines, beginning with the section's heading.
    var lines: [String] = []
    /// The charts, as SVG text keyed by file name.
    var charts: [String: String] = [:]

    /// Adds a paragraph (one line) followed by a blank line.
    mutating func paragraph(_ text: String) {
        lines += [text, ""]
    }

    /// Adds a table followed by a blank line.
    mutating func table(_ table: MarkdownTable) {
        lines += table.lines + [""]
    }

    /// Adds `svg` as the chart file `fileName` and an image line that shows it.
    mutating func chart(_ svg: String, fileName: String, description: String) {
        charts[fileName] = svg
        paragraph("![\(description)](\(fileName))")
    }
}

extension ExperimentSummary {
    /// The name of the initial model's row in tables.
    static let initialLabel = "pi0 (initial)"
    /// The row label of the pretrained base model.
    static let baseLabel = "Base model (its chat format)"

    /// The `k` of Avg@k and pass@k, for column titles.
    var k: Int { results.samplesPerQuestion }
}
