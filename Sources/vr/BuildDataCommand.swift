// `vr build-data`: the released code's offline pipeline, written as an SFT set for `vr sft --initial`.

import ArgumentParser
import Foundation
import VRModel
import VRTasks
import VRTraining
import VRWorker

/// Samples K traces per question from a fixed q, scores them with a fixed pi0, and keeps the best one.
struct BuildDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-data",
        abstract: "Build an SFT set from q's traces weighted by a fixed pi0 (the released code's offline mode).",
        discussion: """
            Per question: K traces from the posterior q (with the answer as a hint), Acc from n answers sampled \
            from pi0 after each trace, log pi0 by teacher forcing; the trace with the largest \
            log acc + mean(log pi0 - log q) becomes the example (PAPER.md [E5], [E6]); questions without a usable \
            trace keep their reference thought. Train on the result with `vr sft --data OUT --initial PI0`.
            """)

    @Option(help: "Tasks (JSONL) with reference solutions.")
    var tasks: String

    @Option(help: "Checkpoint of the posterior q that proposes traces.")
    var posterior: String

    @Option(help: "Checkpoint of the reasoning model pi0 that scores them.")
    var reasoning: String

    @Option(help: "The prompt/response JSONL file to write.")
    var output: String

    @Option(help: "K: traces per question.")
    var traces = 8

    @Option(help: "n: answers sampled from pi0 per trace for Acc.")
    var answersPerTrace = RolloutOptions().answersPerTrace

    @Option(help: "Temperature of trace sampling.")
    var temperature = RolloutOptions().traceTemperature

    @Option(help: "Longest trace in tokens; longer ones are never chosen.")
    var maxTraceTokens = RolloutOptions().maxTraceTokens

    @Option(help: "Questions sampled together.")
    var questionsPerBatch = 8

    @Option(help: "Sampling seed.")
    var seed: UInt64 = 0

    func validate() throws {
        guard traces >= 1, questionsPerBatch >= 1 else {
            throw ValidationError("--traces and --questions-per-batch must be at least 1")
        }
    }

    func run() throws {
        var options = RolloutOptions()
        options.answersPerTrace = answersPerTrace
        options.traceTemperature = temperature
        options.maxTraceTokens = maxTraceTokens
        let builder = try DataBuilder(traceCount: traces, options: options)
        let models = ModelPair(reasoning: try loadModel(reasoning), posterior: try loadModel(posterior))
        let items = try TaskDataset.read(from: tasks, verifier: nil).items
        var examples: [BuiltExample] = []
        for start in stride(from: 0, to: items.count, by: questionsPerBatch) {
            let batch = Array(items[start..<min(start + questionsPerBatch, items.count)])
            examples += try builder.build(batch, models: models, seed: seed &+ UInt64(start))
            FileHandle.standardError.write(Data("\rquestions \(examples.count)/\(items.count)".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        try PromptResponseDataset(
            examples: examples.map { PromptResponseExample(prompt: $0.prompt, response: $0.response) }
        ).write(to: output)
        let chosen = examples.count { $0.logWeight != nil }
        printProgress(
            "wrote \(examples.count) examples to \(output): \(chosen) with a sampled trace, "
                + "\(examples.count - chosen) with the reference thought (no trace with a verified answer)")
    }
}
