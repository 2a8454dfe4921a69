// The special tokens of the byte-level vocabulary: chat-template and reasoning-template markers.

/// A marker token that is not a byte: chat roles and the reasoning template's section delimiters.
///
/// Ids follow the 256 byte ids in declaration order, so `endOfText` is 256 and `endOfExplanation` is
/// 267. The order is part of the checkpoint format: append new cases at the end, never reorder.
public enum SpecialToken: Int32, CaseIterable, Sendable {
    /// `<|endoftext|>`: ends a document.
    case endOfText = 256
    /// `<|pad|>`: fills unused positions of a batch.
    case pad
    /// `<|system|>`: starts the system message.
    case system
    /// `<|user|>`: starts a user message.
    case user
    /// `<|assistant|>`: starts an assistant message.
    case assistant
    /// `<|end|>`: ends a message.
    case end
    /// `<|begin_of_thought|>`: opens the reasoning trace.
    case beginOfThought
    /// `<|end_of_thought|>`: closes the reasoning trace.
    case endOfThought
    /// `<|begin_of_solution|>`: opens the final solution.
    case beginOfSolution
    /// `<|end_of_solution|>`: closes the final solution.
    case endOfSolution
    /// `<|begin_of_explanation|>`: opens an explanation.
    case beginOfExplanation
    /// `<|end_of_explanation|>`: closes an explanation.
    case endOfExplanation

    /// The token's id in the vocabulary.
    public var id: Int32 { rawValue }

    /// The token's text, such as `<|begin_of_thought|>`; `encode` maps exactly this text to `id`.
    public var text: String {
        switch self {
        case .endOfText: "<|endoftext|>"
        case .pad: "<|pad|>"
        case .system: "<|system|>"
        case .user: "<|user|>"
        case .assistant: "<|assistant|>"
        case .end: "<|end|>"
        case .beginOfThought: "<|begin_of_thought|>"
        case .endOfThought: "<|end_of_thought|>"
        case .beginOfSolution: "<|begin_of_solution|>"
        case .endOfSolution: "<|end_of_solution|>"
        case .beginOfExplanation: "<|begin_of_explanation|>"
        case .endOfExplanation: "<|end_of_explanation|>"
        }
    }
}
