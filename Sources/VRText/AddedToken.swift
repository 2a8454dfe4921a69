// A token matched whole in the text before pre-tokenization: special tokens such as <|im_end|>, and added words.

/// A token that `encode` finds whole in the text before splitting it into words (`tokenizers`' added tokens).
///
/// The flags follow `tokenizers.AddedToken`: where it may match, and what whitespace it swallows.
public struct AddedToken: Sendable, Equatable {
    /// The token's id.
    public let id: Int32
    /// The exact text that becomes this token.
    public let content: String
    /// Whether it is a special token (such as `<|im_end|>`) rather than an added word.
    public let special: Bool
    /// Whether it only matches when not inside a word: no `\w` character right before or right after it.
    public let singleWord: Bool
    /// Whether it swallows the whitespace right before it (`lstrip`).
    public let stripsLeft: Bool
    /// Whether it swallows the whitespace right after it (`rstrip`).
    public let stripsRight: Bool
    /// Whether it is matched in the normalized text (after NFC, say) rather than in the text as given.
    public let normalized: Bool

    /// Creates an added token; the defaults are `tokenizers`' (`normalized` defaults to `!special`).
    /// - Parameters:
    ///   - id: the token's id.
    ///   - content: its text; must not be empty.
    ///   - special: whether it is a special token.
    ///   - singleWord: whether it must not touch a word character.
    ///   - stripsLeft: whether it swallows whitespace before it.
    ///   - stripsRight: whether it swallows whitespace after it.
    ///   - normalized: whether it is matched in the normalized text; nil for `!special`.
    public init(
        id: Int32, content: String, special: Bool, singleWord: Bool = false, stripsLeft: Bool = false,
        stripsRight: Bool = false, normalized: Bool? = nil
    ) {
        self.id = id
        self.content = content
        self.special = special
        self.singleWord = singleWord
        self.stripsLeft = stripsLeft
        self.stripsRight = stripsRight
        self.normalized = normalized ?? !special
    }
}
