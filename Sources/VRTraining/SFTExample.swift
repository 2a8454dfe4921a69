// A prompt/response pair as model input: token ids and one weight per next-token target ([E10]).

import VRModel
import VRText

/// One training sequence for supervised fine-tuning, with the weight of each next-token target.
///
/// The sequence is `encode(prompt) + encode(response) + [endOfText]`. Target `t` (predicting token
/// `t + 1`) has weight 0 while token `t + 1` is still part of the prompt and the example's weight (1 unless
/// the set is weighted) for every response token and the final end token, so the loss ([E10]) covers exactly
/// the response and its end marker.
///
/// An empty prompt is replaced by the single token `endOfText`, a document start, so that the first
/// response token is predicted too: the weighted target count is always `responseTokens + 1`.
public struct SFTExample: Sendable, Equatable {
    /// The token ids, prompt first, ending with `endOfText` (unless the response was truncated).
    public let tokens: [Int32]
    /// `tokens.count - 1` weights: 0 for prompt targets, the example's weight for response targets.
    public let targetWeights: [Float]
    /// Number of prompt tokens at the start of `tokens`.
    public let promptTokenCount: Int

    /// Tokenizes an example.
    /// - Parameters:
    ///   - example: the prompt and response.
    ///   - text: the model's tokenizer; the response is followed by its end of sequence.
    ///   - contextLength: the longest sequence allowed.
    ///   - truncate: when true, a sequence longer than `contextLength` loses the end of its response
    ///     (and the end token); when false it is an error.
    ///   - index: the example's position in its dataset, for error messages.
    /// - Throws: `TrainingError.exampleTooLong` when the sequence does not fit and `truncate` is false, or
    ///   when even the prompt plus one response token does not fit.
    public init(
        _ example: PromptResponseExample, text: ModelText, contextLength: Int, truncate: Bool = false,
        index: Int = 0
    ) throws(TrainingError) {
        let end = text.endOfGeneration.first ?? []
        var prompt = text.encode(example.prompt)
        if prompt.isEmpty { prompt = end.isEmpty ? text.encode(" ") : end }
        var tokens = prompt + text.encode(example.response) + end
        if tokens.count > contextLength {
            guard truncate, prompt.count < contextLength else {
                throw .exampleTooLong(
                    index: index, line: example.line, promptTokenCount: prompt.count, tokenCount: tokens.count,
                    contextLength: contextLength)
            }
            tokens.removeLast(tokens.count - contextLength)
        }
        self.tokens = tokens
        self.promptTokenCount = prompt.count
        // Target t predicts token t + 1, which belongs to the response when t + 1 >= promptTokenCount.
        let weight = Float(example.weight)
        self.targetWeights = (0..<(tokens.count - 1)).map { $0 + 1 >= prompt.count ? weight : 0 }
    }

    /// Number of response targets: the response tokens plus the end token.
    public var weightedTargetCount: Int { tokens.count - promptTokenCount }

    /// Tokenizes every example of a dataset.
    /// - Parameters:
    ///   - dataset: the examples.
    ///   - text: the model's tokenizer.
    ///   - contextLength: the longest sequence allowed.
    ///   - truncate: whether over-long responses are cut instead of rejected.
    /// - Returns: one `SFTExample` per dataset example, in order.
    /// - Throws: `TrainingError.exampleTooLong` for the first example that does not fit.
    public static func tokenize(
        _ dataset: PromptResponseDataset, text: ModelText, contextLength: Int, truncate: Bool = false
    ) throws(TrainingError) -> [SFTExample] {
        var result: [SFTExample] = []
        result.reserveCapacity(dataset.examples.count)
        for (index, example) in dataset.examples.enumerated() {
            result.append(
                try SFTExample(
                    example, text: text, contextLength: contextLength, truncate: truncate, index: index))
        }
        return result
    }
}
