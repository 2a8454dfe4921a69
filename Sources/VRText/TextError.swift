// Errors raised when token ids cannot be turned back into text, or a tokenizer description cannot be used.

/// A failure to decode token ids, or to build a tokenizer from its description.
public enum TextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id at `position` is not in `0..<vocabularySize`.
    case idOutOfRange(id: Int32, position: Int, vocabularySize: Int)
    /// The id at `position` is inside the vocabulary's range, but no token has it.
    case unassignedID(id: Int32, position: Int)
    /// The tokenizer description in `source` (a tokenizer.json or a GGUF file) is malformed: `reason` says how.
    case malformedTokenizer(source: String, reason: String)
    /// The tokenizer description in `source` asks, in `field`, for `value`, which this implementation does not do.
    case unsupportedTokenizer(source: String, field: String, value: String)
    /// The tokenizer files could not be written to `path`: `reason` says why.
    case unwritable(path: String, reason: String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .idOutOfRange(let id, let position, let vocabularySize):
            "token id \(id) at position \(position) is outside the vocabulary 0..<\(vocabularySize)"
        case .unassignedID(let id, let position):
            "token id \(id) at position \(position) belongs to no token of the vocabulary"
        case .malformedTokenizer(let source, let reason):
            "\(source): not a usable tokenizer: \(reason)"
        case .unsupportedTokenizer(let source, let field, let value):
            "\(source): \(field) is \(value), which this tokenizer does not support"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
