// A GitHub-flavoured Markdown table: a header row, an alignment row and body rows, with pipes in cells escaped.

import Foundation

/// A Markdown table whose leading text columns are left-aligned and whose other (number) columns are right-aligned.
struct MarkdownTable {
    /// The column titles.
    var header: [String]
    /// How many leading columns hold text rather than numbers.
    var textColumnCount = 1
    /// The body rows, each as long as the header.
    var rows: [[String]] = []

    /// The table's lines.
    var lines: [String] {
        let alignment = header.indices.map { $0 < textColumnCount ? ":---" : "---:" }
        return ([header, alignment] + rows).map { cells in
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
    }
}
