// The tokenizer and templates that go with a model path, for everything that trains, samples or evaluates.

extension ModelText {
    /// The text of the model at `path` and the templates in its chat format; the byte tokenizer and the built-in
    /// turns when `path` is nil.
    /// - Parameters:
    ///   - path: a checkpoint, Hugging Face model directory or `.gguf` file, or nil.
    ///   - hint: what the posterior's prompt gives away.
    /// - Returns: the model's text and the renderer of its prompts.
    /// - Throws: `TextError` when the tokenizer beside the model cannot be read.
    public static func withTemplates(
        forModelAt path: String?, hint: TemplateConfiguration.Hint = .workedSolution
    ) throws(TextError) -> (text: ModelText, renderer: TemplateRenderer) {
        let text = try path.map { path throws(TextError) in try load(forModelAt: path) } ?? .bytes
        return (
            text, TemplateRenderer(configuration: TemplateConfiguration(hint: hint), chatTemplate: text.chatTemplate)
        )
    }
}
