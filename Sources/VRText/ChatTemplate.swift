// The ChatML chat format of Qwen2.5 and SmolLM2-Instruct:
//
//   <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n
//
// Templates such as SmolLM2's and Qwen2.5's write a default system message when the conversation has none; that
// message is read from the template's Jinja source.

import Foundation

/// The ChatML format: renders a system message (optional), a user message and the open assistant turn.
public struct ChatTemplate: Sendable, Equatable {
    /// The text that opens a turn, followed by the role and a newline.
    public static let turnStart = "<|im_start|>"
    /// The text that closes a turn; the model emits it when its answer is complete.
    public static let turnEnd = "<|im_end|>"

    /// The system message written when the conversation has none, as the model's template does; nil for none.
    public let defaultSystemPrompt: String?

    /// The text at which generation of the assistant's turn stops.
    public var stopText: String { Self.turnEnd }

    /// Creates the format.
    /// - Parameter defaultSystemPrompt: the system message to write when none is given; nil for none.
    public init(defaultSystemPrompt: String? = nil) {
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// The ChatML format a Jinja chat template (tokenizer_config.json's `chat_template`, GGUF's
    /// `tokenizer.chat_template`) writes, with its default system message; nil if the template is not ChatML.
    ///
    /// The default system message is the text of a string literal `'<|im_start|>system\n...<|im_end|>` in the
    /// template (with Jinja's escapes `\n`, `\t`, `\'`, `\"`, `\\` resolved).
    /// - Parameter chatTemplate: the template's Jinja source.
    public init?(chatTemplate: String) {
        guard chatTemplate.contains(Self.turnStart), chatTemplate.contains(Self.turnEnd) else { return nil }
        self.init(defaultSystemPrompt: Self.literalSystemPrompt(in: chatTemplate))
    }

    /// The ChatML format, if `tokenizer` has both ChatML special tokens; no default system message.
    /// - Parameter tokenizer: any tokenizer.
    public init?(tokenizer: some Tokenizer) {
        guard tokenizer.id(ofSpecial: Self.turnStart) != nil, tokenizer.id(ofSpecial: Self.turnEnd) != nil else {
            return nil
        }
        self.init()
    }

    /// The format of a model: from its chat template when it has one, else from its tokenizer's special tokens.
    /// - Parameters:
    ///   - tokenizer: the model's tokenizer.
    ///   - chatTemplate: the model's Jinja chat template, if it has one.
    /// - Returns: the ChatML format, or nil if the model does not use ChatML.
    public static func detect(tokenizer: some Tokenizer, chatTemplate: String?) -> ChatTemplate? {
        if let chatTemplate { return ChatTemplate(chatTemplate: chatTemplate) }
        return ChatTemplate(tokenizer: tokenizer)
    }

    /// The prompt for one user message: the system turn (the given one, else the default, else none), the user
    /// turn and the opening of the assistant's turn, as `apply_chat_template(add_generation_prompt=True)` renders.
    /// - Parameters:
    ///   - system: the system message; nil for the template's default.
    ///   - user: the user message.
    /// - Returns: the prompt text.
    public func render(system: String?, user: String) -> String {
        var text = ""
        if let system = system ?? defaultSystemPrompt { text += turn("system", system) }
        return text + turn("user", user) + Self.turnStart + "assistant\n"
    }

    private func turn(_ role: String, _ content: String) -> String {
        Self.turnStart + role + "\n" + content + Self.turnEnd + "\n"
    }

    /// The system message of a Jinja string literal `'<|im_start|>system\n...<|im_end|>\n'`, if the template has one.
    static func literalSystemPrompt(in template: String) -> String? {
        let opening = turnStart + "system"
        var searched = template.startIndex
        while let range = template.range(of: opening, range: searched..<template.endIndex) {
            searched = range.upperBound
            guard range.lowerBound > template.startIndex else { continue }
            let quote = template[template.index(before: range.lowerBound)]
            guard quote == "'" || quote == "\"", let literal = literal(in: template[range.upperBound...], quote: quote)
            else { continue }
            // The literal after "system": a newline, the message, then <|im_end|> and at most a newline.
            let text = unescapeJinja(literal)
            guard text.hasPrefix("\n"), let end = text.range(of: turnEnd, options: .backwards) else { continue }
            guard ["", "\n"].contains(text[end.upperBound...]) else { continue }
            return String(text[text.index(after: text.startIndex)..<end.lowerBound])
        }
        return nil
    }

    /// The raw text of a string literal from `text`'s start to the first `quote` not escaped by a backslash; nil
    /// if the literal does not end.
    private static func literal(in text: Substring, quote: Character) -> Substring? {
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == quote {
                return text[..<index]
            }
        }
        return nil
    }

    private static func unescapeJinja(_ text: Substring) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
