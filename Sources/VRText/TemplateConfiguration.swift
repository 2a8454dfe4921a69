// Settings of the reasoning and posterior templates: system messages and the posterior layout (A or B).

import VRCore

/// The texts and choices that shape rendered prompts; every byte of them costs a token.
///
/// Decoding fills missing keys with the defaults below and rejects unknown keys, so a misspelt
/// setting fails instead of being ignored.
public struct TemplateConfiguration: Codable, Sendable, Equatable {
    /// Where the posterior q(z|x,y') writes its trace after the pre-filled solution (templates: docs/protocol.md).
    public enum PosteriorVariant: String, Codable, Sendable, Equatable, CaseIterable {
        /// Template A: the trace is an explanation between `<|begin_of_explanation|>` and `<|end_of_explanation|>`.
        case a
        /// Template B: the trace is a thought between `<|begin_of_thought|>` and `<|end_of_thought|>`.
        case b
    }

    /// What the posterior's prompt gives away: the hint y'.
    public enum Hint: String, Codable, Sendable, Equatable, CaseIterable {
        /// The worked solution where the task has one (the paper's hint), else its reference solution.
        case workedSolution = "worked-solution"
        /// Only the final answer, as `Answer: <final answer>`: the ablation.
        case answer
    }

    /// System message of the reasoning prompt pi(z|x); empty means no system turn.
    public var systemPrompt: String
    /// System message of the posterior prompt q(z|x,y'); empty means no system turn.
    public var posteriorSystemPrompt: String
    /// Posterior layout; the paper's released code uses B.
    public var posteriorVariant: PosteriorVariant
    /// The posterior's hint; the worked solution by default.
    public var hint: Hint

    /// Default reasoning system message: a compact instruction (19 bytes).
    public static let defaultSystemPrompt = "Think, then answer."
    /// Default posterior system message: asks for the reasoning behind the given solution (29 bytes).
    public static let defaultPosteriorSystemPrompt = "Reason to the given solution."

    /// Creates a configuration.
    /// - Parameters:
    ///   - systemPrompt: the reasoning system message; empty for none.
    ///   - posteriorSystemPrompt: the posterior system message; empty for none.
    ///   - posteriorVariant: template A or B.
    ///   - hint: the posterior's hint.
    public init(
        systemPrompt: String = TemplateConfiguration.defaultSystemPrompt,
        posteriorSystemPrompt: String = TemplateConfiguration.defaultPosteriorSystemPrompt,
        posteriorVariant: PosteriorVariant = .b, hint: Hint = .workedSolution
    ) {
        self.systemPrompt = systemPrompt
        self.posteriorSystemPrompt = posteriorSystemPrompt
        self.posteriorVariant = posteriorVariant
        self.hint = hint
    }

    /// Decodes a configuration; missing keys take their defaults.
    /// - Parameter decoder: the decoder positioned at a JSON object.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown key, or a type mismatch.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try decoder.rejectUnknownKeys(CodingKeys.self)
        systemPrompt = try container.decodeIfPresent(String.self, forKey: .systemPrompt) ?? Self.defaultSystemPrompt
        posteriorSystemPrompt =
            try container.decodeIfPresent(String.self, forKey: .posteriorSystemPrompt)
            ?? Self.defaultPosteriorSystemPrompt
        posteriorVariant = try container.decodeIfPresent(PosteriorVariant.self, forKey: .posteriorVariant) ?? .b
        hint = try container.decodeIfPresent(Hint.self, forKey: .hint) ?? .workedSolution
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case systemPrompt, posteriorSystemPrompt, posteriorVariant, hint
    }

    /// A coding key for any string, used to list the keys an object actually has.
}
