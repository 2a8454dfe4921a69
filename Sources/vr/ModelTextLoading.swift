// The tokenizer and templates that go with a model path, for the commands that train and sample.

import ArgumentParser
import VRText

/// The text of the model at `path` and the templates in its chat format; the byte tokenizer and the built-in
/// turns when `path` is nil.
/// - Parameters:
///   - path: a checkpoint, Hugging Face model directory or `.gguf` file, or nil.
///   - hint: what the posterior's prompt gives away.
/// - Returns: the model's text and the renderer of its prompts.
/// - Throws: `TextError` when the tokenizer beside the model cannot be read.
func modelText(
    at path: String?, hint: TemplateConfiguration.Hint = .workedSolution
) throws -> (text: ModelText, renderer: TemplateRenderer) {
    let text = try path.map { path throws in try ModelText.load(forModelAt: path) } ?? .bytes
    return (text, TemplateRenderer(configuration: TemplateConfiguration(hint: hint), chatTemplate: text.chatTemplate))
}

extension TemplateConfiguration.Hint: ExpressibleByArgument {
    /// The help text of every `--hint` option.
    static let help: ArgumentHelp = """
        The posterior's hint y': worked-solution (the task's worked solution, else its reference solution; the \
        paper's) or answer (the final answer only, an ablation). Learner, workers and q's SFT data must agree.
        """
}
