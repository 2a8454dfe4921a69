// `vr sft-data`: the supervised data of stages 1 and 2 (pi on reference thoughts, q on hinted thoughts).

import ArgumentParser
import VRExperiment
import VRTasks
import VRText
import VRTraining

/// Turns tasks into prompt/response JSONL for `vr sft`.
struct SFTDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft-data",
        abstract: "Write the SFT data of stage 1 (reasoning model pi) or stage 2 (posterior q) from tasks.")

    @Option(help: "Tasks (JSONL, as written by `vr tasks`).")
    var tasks: String

    @Option(
        help: "reasoning (pi: question -> thought and solution) or posterior (q: question and solution -> thought).")
    var stage: SupervisedModel

    @Option(help: "The prompt/response JSONL file to write.")
    var output: String

    @Option(
        help: """
            The model (checkpoint, Hugging Face directory or .gguf file) whose chat format wraps the prompts; the \
            built-in family's turns by default.
            """)
    var tokenizer: String?

    @Option(help: TemplateConfiguration.Hint.help)
    var hint = TemplateConfiguration.Hint.workedSolution

    func run() throws {
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        let renderer = try ModelText.withTemplates(forModelAt: tokenizer, hint: hint).renderer
        let sft = PromptResponseDataset(dataset, teaching: stage, renderer: renderer)
        try sft.write(to: output)
        printProgress("wrote \(sft.examples.count) \(stage.rawValue) examples to \(output)")
    }
}

extension SupervisedModel: ExpressibleByArgument {}
