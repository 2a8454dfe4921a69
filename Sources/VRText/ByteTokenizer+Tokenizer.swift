// ByteTokenizer as a Tokenizer: its special tokens are the SpecialToken cases.

extension ByteTokenizer: Tokenizer {
    /// The id of the `SpecialToken` whose text is exactly `text`.
    /// - Parameter text: a special token's text, such as `<|endoftext|>`.
    /// - Returns: its id, in `256..<vocabularySize`, or nil if no special token has that text.
    public func id(ofSpecial text: String) -> Int32? {
        SpecialToken.allCases.first { $0.text == text }?.id
    }
}
