// One supervised example: a prompt and the response the model should learn to produce after it.

/// A prompt and its target response, with the line it came from when read from a file.
public struct PromptResponseExample: Sendable, Equatable, Codable {
    /// The text the model is conditioned on (not trained on).
    public var prompt: String
    /// The text the model learns to produce after the prompt.
    public var response: String
    /// The 1-based line of the source file, or nil for examples built in memory; never written out.
    public var line: Int?

    /// Creates an example.
    /// - Parameters:
    ///   - prompt: the conditioning text.
    ///   - response: the target text.
    ///   - line: the 1-based source line, if any.
    public init(prompt: String, response: String, line: Int? = nil) {
        self.prompt = prompt
        self.response = response
        self.line = line
    }

    private enum CodingKeys: String, CodingKey {
        case prompt, response
    }
}
