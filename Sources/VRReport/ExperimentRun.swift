// Everything a run directory of `vr experiment` holds: the results, the configuration's text and each run's
// learner files (step metrics and question weights).

import Foundation
import VRRecords

/// The contents of a run directory, read and checked.
public struct ExperimentRun: Sendable {
    /// The name of the results file inside a run directory.
    public static let resultsFileName = "results.json"

    /// The results file's contents.
    public var results: ExperimentResults
    /// The configuration file's text, as written.
    public var configurationText: String
    /// Each metrics file named by a run, keyed by its path relative to the run directory.
    public var metricsByFile: [String: [StepMetrics]]
    /// Each questions file named by a run, keyed by its path relative to the run directory.
    public var questionsByFile: [String: [QuestionWeightRecord]]

    /// Creates a run from values already read.
    /// - Parameters:
    ///   - results: the results.
    ///   - configurationText: the configuration's text.
    ///   - metricsByFile: step metrics by relative path.
    ///   - questionsByFile: question weights by relative path.
    public init(
        results: ExperimentResults, configurationText: String, metricsByFile: [String: [StepMetrics]],
        questionsByFile: [String: [QuestionWeightRecord]]
    ) {
        self.results = results
        self.configurationText = configurationText
        self.metricsByFile = metricsByFile
        self.questionsByFile = questionsByFile
    }

    /// Reads the results file of `directory` and every file it names.
    /// - Parameter directory: the run directory.
    /// - Returns: its contents.
    /// - Throws: `ReportError` naming the file (and line) that is missing or malformed, or `.invalidResults`
    ///   for an arm without runs.
    public static func read(from directory: URL) throws(ReportError) -> ExperimentRun {
        let resultsURL = directory.appendingPathComponent(resultsFileName)
        let results = try JSONFileReader.value(ExperimentResults.self, at: resultsURL)
        if let emptyArm = results.arms.first(where: { $0.runs.isEmpty }) {
            throw .invalidResults(path: resultsURL.path, reason: "arm \"\(emptyArm.name)\" has no runs")
        }
        let configurationText = try JSONFileReader.text(
            at: directory.appendingPathComponent(results.configurationFile))
        let runs = [results.initial] + results.arms.flatMap(\.runs)
        var metricsByFile: [String: [StepMetrics]] = [:]
        var questionsByFile: [String: [QuestionWeightRecord]] = [:]
        for run in runs {
            if let file = run.metricsFile, metricsByFile[file] == nil {
                metricsByFile[file] = try JSONFileReader.lines(
                    StepMetrics.self, at: directory.appendingPathComponent(file))
            }
            if let file = run.questionsFile, questionsByFile[file] == nil {
                questionsByFile[file] = try JSONFileReader.lines(
                    QuestionWeightRecord.self, at: directory.appendingPathComponent(file))
            }
        }
        return ExperimentRun(
            results: results, configurationText: configurationText, metricsByFile: metricsByFile,
            questionsByFile: questionsByFile)
    }

    /// The step metrics of `run`, or nil when it has no metrics file.
    /// - Parameter run: one of the results' runs.
    /// - Returns: its metrics lines in file order.
    public func metrics(of run: ArmRun) -> [StepMetrics]? {
        run.metricsFile.flatMap { metricsByFile[$0] }
    }

    /// The question weight records of `run`, or nil when it has no questions file.
    /// - Parameter run: one of the results' runs.
    /// - Returns: its records in file order.
    public func questions(of run: ArmRun) -> [QuestionWeightRecord]? {
        run.questionsFile.flatMap { questionsByFile[$0] }
    }
}
