// One supervised example: a prompt, the response the model should learn to produce after it, and its weight.

/// A prompt and its target response, with its training weight and the line it came from when read from a file.
public struct PromptResponseExample: Sendable, Equatable, Codable {
    /// The text the model is conditioned on (not trained on).
    public var prompt: String
    /// The text the model learns to produce after the prompt.
    public var response: String
    /// The weight of every response target in the loss ([E10]), at least 0.
    ///
    /// 1 unless the set is weighted (the normalised trace weights of `vr build-data --selection weighted`);
    /// written out only when it is not 1.
    public var weight: Double
    /// The 1-based line of the source file, or nil for examples built in memory; never written out.
    public var line: Int?

    /// Creates an example.
    /// - Parameters:
    ///   - prompt: the conditioning text.
    ///   - response: the target text.
    ///   - weight: the training weight, finite and at least 0.
    ///   - line: the 1-based source line, if any.
    public init(prompt: String, response: String, weight: Double = 1, line: Int? = nil) {
        precondition(weight.isFinite && weight >= 0, "an example weight must be finite and at least 0, got \(weight)")
        self.prompt = prompt
        self.response = response
        self.weight = weight
        self.line = line
    }

    private enum CodingKeys: String, CodingKey {
        case prompt, response, weight
    }

    /// Decodes `prompt`, `response` and an optional `weight` (default 1).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(String.self, forKey: .prompt)
        response = try container.decode(String.self, forKey: .response)
        weight = try container.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        guard weight.isFinite && weight >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .weight, in: container, debugDescription: "weight \(weight) is not a finite number >= 0")
        }
    }

    /// Encodes `prompt`, `response` and, when it is not 1, `weight`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(response, forKey: .response)
        if weight != 1 { try container.encode(weight, forKey: .weight) }
    }
}
