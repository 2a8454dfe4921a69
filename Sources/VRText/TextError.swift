// Errors raised when token ids cannot be turned back into text.

/// A failure to decode token ids.
public enum TextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id at `position` is not in `0..<vocabularySize`.
    case idOutOfRange(id: Int32, position: Int, vocabularySize: Int)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .idOutOfRange(let id, let position, let vocabularySize):
            "token id \(id) at position \(position) is outside the vocabulary 0..<\(vocabularySize)"
        }
    }
}
