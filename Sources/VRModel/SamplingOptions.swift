// What `Transformer.sample` should generate, and what it returns per sequence.

/// How to generate continuations.
public struct SamplingOptions: Sendable, Equatable, Codable {
    /// Softmax temperature; 0 picks the most likely token (greedy).
    public var temperature: Float
    /// Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches `topP` (1 = off).
    public var topP: Float
    /// The most tokens generated per sequence (the context length also bounds a sequence).
    public var maxNewTokens: Int
    /// Token sequences that end generation when the continuation ends with one of them (kept in the output).
    public var stopSequences: [[Int32]]
    /// The seed; sequence `i` of a batch draws from its own stream, so its result does not depend on the
    /// other sequences in the batch.
    public var seed: UInt64

    /// Creates options.
    /// - Parameters:
    ///   - temperature: softmax temperature, 0 for greedy.
    ///   - topP: nucleus threshold in (0, 1].
    ///   - maxNewTokens: tokens to generate at most.
    ///   - stopSequences: token sequences that end generation.
    ///   - seed: the random seed.
    public init(
        temperature: Float = 1, topP: Float = 1, maxNewTokens: Int, stopSequences: [[Int32]] = [], seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topP = topP
        self.maxNewTokens = maxNewTokens
        self.stopSequences = stopSequences
        self.seed = seed
    }

    /// Checks the options against a model's vocabulary.
    /// - Parameter vocabularySize: the model's V.
    /// - Throws: `ModelError.invalidInput` naming the first bad field.
    public func validate(vocabularySize: Int) throws(ModelError) {
        guard temperature >= 0, temperature.isFinite else {
            throw .invalidInput("temperature must be finite and non-negative, got \(temperature)")
        }
        guard topP > 0, topP <= 1 else { throw .invalidInput("topP must be in (0, 1], got \(topP)") }
        guard maxNewTokens >= 0 else { throw .invalidInput("maxNewTokens must be non-negative, got \(maxNewTokens)") }
        for (index, stop) in stopSequences.enumerated() {
            guard !stop.isEmpty else { throw .invalidInput("stop sequence \(index) is empty") }
            guard stop.allSatisfy({ $0 >= 0 && Int($0) < vocabularySize }) else {
                throw .invalidInput("stop sequence \(index) has a token id outside 0..<\(vocabularySize)")
            }
        }
    }
}

/// Why a sequence stopped growing.
public enum FinishReason: Sendable, Equatable, Codable {
    /// The continuation ended with stop sequence number `index`.
    case stopSequence(index: Int)
    /// `maxNewTokens` tokens were generated.
    case maxNewTokens
    /// The sequence filled the model's context.
    case contextLength
}

/// One generated continuation.
public struct SampledSequence: Sendable, Equatable {
    /// The generated tokens (not including the prompt; including a matched stop sequence).
    public let tokens: [Int32]
    /// For each generated token, its log-probability under the model at temperature 1 (not the sampling
    /// distribution), the same value `score` gives.
    public let logProbs: [Float]
    /// Why generation ended.
    public let finishReason: FinishReason

    /// Whether it ended with one of its stop sequences, rather than being cut off by a length limit.
    public var isFinished: Bool {
        if case .stopSequence = finishReason { true } else { false }
    }
}
