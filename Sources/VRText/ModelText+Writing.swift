// Writing a model's tokenizer beside a checkpoint trained from it, so that the checkpoint directory is a complete
// Hugging Face model: `vr` reads its text back as it was, and transformers' AutoTokenizer loads it.

import Foundation

extension ModelText {
    /// The files ``writeFiles(toDirectory:)`` writes, for a BPE tokenizer.
    public static let fileNames = ["tokenizer.json", "tokenizer_config.json"]

    /// Writes `tokenizer.json` and `tokenizer_config.json` (with the model's chat template) into `directory`.
    ///
    /// Creates the directory if needed; each file is replaced atomically. The built-in family's byte tokenizer needs
    /// no files and writes none.
    /// - Parameter directory: the checkpoint directory.
    /// - Throws: `TextError.unsupportedTokenizer` for a tokenizer tokenizers would read differently,
    ///   `.unwritable` naming the file that cannot be written.
    public func writeFiles(toDirectory directory: String) throws(TextError) {
        guard let tokenizer = tokenizer as? BPETokenizer else { return }
        let contents = [
            try tokenizer.tokenizerJSON(), tokenizer.tokenizerConfigJSON(chatTemplate: chatTemplateSource),
        ]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: directory, reason: error.localizedDescription)
        }
        for (name, data) in zip(Self.fileNames, contents) {
            let path = directory + "/" + name
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw .unwritable(path: path, reason: error.localizedDescription)
            }
        }
    }
}
