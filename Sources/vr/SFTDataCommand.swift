// `vr sft-data`: the supervised data of stages 1 and 2 (pi on reference thoughts, q on hinted thoughts).

import ArgumentParser
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
    var stage: String

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

    func validate() throws {
        guard ["reasoning", "posterior"].contains(stage) else {
            throw ValidationError("--stage is reasoning or posterior, got \(stage)")
        }
    }

    func run() throws {
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        let sft = supervisedData(
            dataset, posterior: stage == "posterior", renderer: try modelText(at: tokenizer, hint: hint).renderer)
        try sft.write(to: output)
        printProgress("wrote \(sft.examples.count) \(stage) examples to \(output)")
    }
}

/// The stage-1 (pi) or stage-2 (q) examples of a task set.
/// - Parameters:
///   - dataset: the tasks.
///   - posterior: q's examples instead of pi's.
///   - renderer: the templates, in the model's chat format.
/// - Returns: prompt/response pairs.
func supervisedData(_ dataset: TaskDataset, posterior: Bool, renderer: TemplateRenderer) -> PromptResponseDataset {
    PromptResponseDataset(
        examples: dataset.items.map { item in
            let example =
                posterior ? item.posteriorExample(renderer: renderer) : item.reasoningExample(renderer: renderer)
            return PromptResponseExample(prompt: example.prompt, response: example.response)
        })
}
