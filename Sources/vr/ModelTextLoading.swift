// The tokenizer and templates that go with a model path, for the commands that train and sample.

import VRText

/// The text of the model at `path` and the templates in its chat format; the byte tokenizer and the built-in
/// turns when `path` is nil.
/// - Parameter path: a checkpoint, Hugging Face model directory or `.gguf` file, or nil.
/// - Returns: the model's text and the renderer of its prompts.
/// - Throws: `TextError` when the tokenizer beside the model cannot be read.
func modelText(at path: String?) throws -> (text: ModelText, renderer: TemplateRenderer) {
    let text = try path.map { path throws in try ModelText.load(forModelAt: path) } ?? .bytes
    return (text, TemplateRenderer(chatTemplate: text.chatTemplate))
}
