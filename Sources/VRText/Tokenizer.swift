// What every tokenizer offers: text to ids, ids to text, and the ids of its special tokens.

/// Turns text into token ids and back.
///
/// `encode` recognises special and added tokens written in the text, and adds none of its own (no BOS or EOS),
/// like Hugging Face `tokenizers`' `encode(text, add_special_tokens=False)`. `decode` keeps special tokens, like
/// `decode(ids, skip_special_tokens=False)`.
public protocol Tokenizer: Sendable {
    /// Number of ids: every id the tokenizer produces or accepts is in `0..<vocabularySize`.
    var vocabularySize: Int { get }

    /// The ids of `text`.
    /// - Parameter text: any string.
    /// - Returns: ids in `0..<vocabularySize`.
    func encode(_ text: String) -> [Int32]

    /// The text of `ids`; byte sequences that are not valid UTF-8 become U+FFFD.
    /// - Parameter ids: token ids.
    /// - Returns: the decoded text.
    /// - Throws: `TextError.idOutOfRange` (or `.unassignedID`) for the first id that is no token's.
    func decode(_ ids: [Int32]) throws(TextError) -> String

    /// The id of the special or added token whose text is exactly `text`.
    /// - Parameter text: a token's text, such as `<|im_end|>`.
    /// - Returns: its id, or nil if no special or added token has that text.
    func id(ofSpecial text: String) -> Int32?
}
