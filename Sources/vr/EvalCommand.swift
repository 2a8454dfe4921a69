// `vr eval`: Avg@k and pass@k of a reasoning-model checkpoint on a task file's questions.

import ArgumentParser
import Foundation
import VRCore
import VRModel
import VRRecords
import VRTasks
import VRText
import VRWorker

/// Samples k responses per question and reports the verified accuracy.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Report Avg@k and pass@k of a reasoning model on held-out tasks.")

    @Option(help: "The reasoning model: a checkpoint, Hugging Face model directory or .gguf file.")
    var checkpoint: String

    @Option(
        help: """
            How questions are asked: reasoning (the paper's template and markers; for trained models) or plain \
            (a chat model's own format, asked to end with 'Answer: N'; for pretrained models before training).
            """)
    var style: ReasoningEvaluator.PromptStyle = .reasoning

    @Option(help: "Tasks to evaluate on (JSONL, e.g. `vr tasks --split test`).")
    var tasks: String

    @Option(help: "k: samples per question.")
    var samples = 8

    @Option(help: "Sampling temperature (0: greedy, then k is 1).")
    var temperature: Float = 1

    @Option(help: "Longest response (thought and solution) in tokens.")
    var maxResponseTokens = 96

    @Option(help: "Sampling seed.")
    var seed: UInt64 = 0

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let model = try Transformer(checkpointAt: checkpoint)
        let text = try ModelText.load(forModelAt: checkpoint)
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        let evaluator = try ReasoningEvaluator(
            samplesPerQuestion: temperature == 0 ? 1 : samples, temperature: temperature,
            maxResponseTokens: maxResponseTokens, renderer: TemplateRenderer(chatTemplate: text.chatTemplate),
            text: text, style: style)
        let report = try evaluator.evaluate(model, on: dataset.items, seed: seed) { done in
            if !json { FileHandle.standardError.write(Data("\rquestions \(done)/\(dataset.items.count)".utf8)) }
        }
        if json {
            printProgress(jsonLine(report))
            return
        }
        FileHandle.standardError.write(Data("\n".utf8))
        printProgress(EvaluationTable(report).text)
    }
}

/// An evaluation report as an aligned text table: one row per difficulty, per family and difficulty and per family
/// when there are several families, and one for all.
struct EvaluationTable {
    /// The table.
    let text: String

    /// Lays out `report`.
    /// - Parameter report: the scores.
    init(_ report: EvaluationReport) {
        let k = report.samplesPerQuestion
        var rows = report.byDifficulty.sorted { $0.key < $1.key }.map { ("\($0.key)", $0.value) }
        if report.byFamily.count > 1 {
            for (family, scores) in report.byFamily.sorted(by: { $0.key < $1.key }) {
                let levels = report.byFamilyAndDifficulty?[family] ?? [:]
                rows += levels.sorted { $0.key < $1.key }.map { ("\(family) \($0.key)", $0.value) }
                rows.append((family, scores))
            }
        }
        rows.append(("all", report.overall))
        let width = max(12, (rows.map(\.0.count).max() ?? 0) + 2)
        var lines = [
            "difficulty".padding(toLength: width, withPad: " ", startingAt: 0) + "questions  Avg@\(k)   pass@\(k)"
        ]
        for (name, scores) in rows {
            lines.append(
                name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "\(scores.questionCount)".padding(toLength: 11, withPad: " ", startingAt: 0)
                    + decimal(scores.averageAtK, 3).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + decimal(scores.passAtK, 3))
        }
        text = lines.joined(separator: "\n")
    }
}

extension ReasoningEvaluator.PromptStyle: ExpressibleByArgument {}
