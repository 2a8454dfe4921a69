// The parts of a Hugging Face tokenizer.json that a byte-level BPE tokenizer reads, as Decodable types.

/// A refusal raised while decoding, turned into a `TextError` naming the source by the loader.
enum TokenizerJSONRefusal: Error {
    /// `field` holds `value`, which is not supported.
    case unsupported(field: String, value: String)
    /// The field at `path` is malformed.
    case malformed(path: String, reason: String)
}

/// The dotted path of a coding path, such as `model.merges[3]`.
func dottedPath(_ codingPath: [any CodingKey]) -> String {
    codingPath.reduce("") { path, key in
        if let index = key.intValue { return path + "[\(index)]" }
        return path.isEmpty ? key.stringValue : path + "." + key.stringValue
    }
}

/// Accepts any JSON value; used to see whether a field holds something other than null.
struct AnyJSONValue: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// A tokenizer.json.
struct TokenizerJSONFile: Decodable {
    let model: Model
    let normalizer: Component?
    let preTokenizer: PreTokenizerNode?
    let decoder: Component?
    let addedTokens: [AddedTokenEntry]?
    let truncation: AnyJSONValue?
    let padding: AnyJSONValue?

    enum CodingKeys: String, CodingKey {
        case model, normalizer, decoder, truncation, padding
        case preTokenizer = "pre_tokenizer"
        case addedTokens = "added_tokens"
    }

    /// `model`: a BPE model.
    struct Model: Decodable {
        let vocab: [String: Int32]
        let merges: [Merge]
        let dropout: Double?
        let unknownToken: String?
        let continuingSubwordPrefix: String?
        let endOfWordSuffix: String?
        let fusesUnknown: Bool?
        let byteFallback: Bool?
        let ignoresMerges: Bool?

        enum CodingKeys: String, CodingKey {
            case type, vocab, merges, dropout
            case unknownToken = "unk_token"
            case continuingSubwordPrefix = "continuing_subword_prefix"
            case endOfWordSuffix = "end_of_word_suffix"
            case fusesUnknown = "fuse_unk"
            case byteFallback = "byte_fallback"
            case ignoresMerges = "ignore_merges"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // The type comes first, so a WordPiece or Unigram model is refused by name, not by its vocabulary's shape.
            let type = try container.decodeIfPresent(String.self, forKey: .type)
            guard type == "BPE" else {
                throw TokenizerJSONRefusal.unsupported(field: "model.type", value: type ?? "missing")
            }
            vocab = try container.decode([String: Int32].self, forKey: .vocab)
            merges = try container.decode([Merge].self, forKey: .merges)
            dropout = try container.decodeIfPresent(Double.self, forKey: .dropout)
            unknownToken = try container.decodeIfPresent(String.self, forKey: .unknownToken)
            continuingSubwordPrefix = try container.decodeIfPresent(String.self, forKey: .continuingSubwordPrefix)
            endOfWordSuffix = try container.decodeIfPresent(String.self, forKey: .endOfWordSuffix)
            fusesUnknown = try container.decodeIfPresent(Bool.self, forKey: .fusesUnknown)
            byteFallback = try container.decodeIfPresent(Bool.self, forKey: .byteFallback)
            ignoresMerges = try container.decodeIfPresent(Bool.self, forKey: .ignoresMerges)
        }
    }

    /// One merge: `"a b"` (split at its one space) or `["a", "b"]`.
    struct Merge: Decodable {
        let left: String
        let right: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let parts: [String]
            if let text = try? container.decode(String.self) {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = try? container.decode([String].self) {
                parts = pair
            } else {
                throw TokenizerJSONRefusal.malformed(
                    path: dottedPath(decoder.codingPath), reason: "a merge is neither \"a b\" nor [\"a\", \"b\"]")
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerJSONRefusal.malformed(
                    path: dottedPath(decoder.codingPath),
                    reason: "the merge \(parts) is not two non-empty tokens (\"a b\" or [\"a\", \"b\"])")
            }
            (left, right) = (parts[0], parts[1])
        }
    }

    /// A normalizer or decoder: only its type is read.
    struct Component: Decodable {
        let type: String?
    }

    /// A pre-tokenizer, possibly a sequence of them.
    struct PreTokenizerNode: Decodable {
        let type: String?
        let pattern: Pattern?
        let behavior: String?
        let invert: Bool?
        let addsPrefixSpace: Bool?
        let usesRegex: Bool?
        let individualDigits: Bool?
        let pretokenizers: [PreTokenizerNode]?

        enum CodingKeys: String, CodingKey {
            case type, pattern, behavior, invert, pretokenizers
            case addsPrefixSpace = "add_prefix_space"
            case usesRegex = "use_regex"
            case individualDigits = "individual_digits"
        }
    }

    /// A Split pattern: `{"Regex": ...}` or `{"String": ...}`.
    struct Pattern: Decodable {
        let regex: String?
        let string: String?

        enum CodingKeys: String, CodingKey {
            case regex = "Regex"
            case string = "String"
        }
    }

    /// One entry of `added_tokens`.
    struct AddedTokenEntry: Decodable {
        let id: Int32
        let content: String
        let singleWord: Bool?
        let stripsLeft: Bool?
        let stripsRight: Bool?
        let normalized: Bool?
        let special: Bool?

        enum CodingKeys: String, CodingKey {
            case id, content, normalized, special
            case singleWord = "single_word"
            case stripsLeft = "lstrip"
            case stripsRight = "rstrip"
        }
    }
}
