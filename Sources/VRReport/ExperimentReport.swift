// `vr report`: a run directory's results as a Markdown page with tables, SVG charts and verdicts on the paper's
// claims. The same run directory always gives the same files, byte for byte.

import Foundation

/// The report of one experiment run: `README.md` and the SVG charts it shows.
public struct ExperimentReport: Sendable {
    /// The name of the report's Markdown page.
    public static let pageFileName = "README.md"

    /// The statistics the report shows.
    public let summary: ExperimentSummary
    /// The verdicts on the paper's claims, (a) to (f).
    public let claims: [ClaimResult]
    /// Every file of the report, keyed by file name: the Markdown page and the charts.
    public let files: [String: String]

    /// Builds the report of `run`.
    /// - Parameter run: a run directory's contents.
    public init(run: ExperimentRun) {
        let summary = ExperimentSummary(run: run)
        let claims = ClaimChecker(summary: summary).claims
        let sections = [
            SetupSection.make(summary), ScoreTablesSection.make(summary), AblationSection.make(summary),
            BiasSection.make(summary), ChartsSection.make(summary), DiagnosticsSection.make(summary),
            ClaimsSection.make(claims), ConfigurationSection.make(summary),
        ]
        var files: [String: String] = [:]
        for section in sections { files.merge(section.charts) { first, _ in first } }
        files[Self.pageFileName] = sections.flatMap(\.lines).joined(separator: "\n") + "\n"
        self.summary = summary
        self.claims = claims
        self.files = files
    }

    /// Writes every file of the report into `outputDirectory`, creating it if needed.
    /// - Parameter outputDirectory: where the report goes.
    /// - Returns: the files written, in name order.
    /// - Throws: `ReportError.unwritableFile` naming the directory or file that could not be written.
    public func write(to outputDirectory: URL) throws(ReportError) -> [URL] {
        try ReportFiles.write(files, to: outputDirectory)
    }

    /// Reads the run directory `runDirectory` and writes its report into `outputDirectory`.
    /// - Parameters:
    ///   - runDirectory: a directory written by `vr experiment`.
    ///   - outputDirectory: where the report goes.
    /// - Returns: the files written, in name order.
    /// - Throws: `ReportError` naming the input file that is missing or malformed, or the output that could not
    ///   be written.
    @discardableResult
    public static func write(runDirectory: URL, outputDirectory: URL) throws(ReportError) -> [URL] {
        try ExperimentReport(run: ExperimentRun.read(from: runDirectory)).write(to: outputDirectory)
    }
}
