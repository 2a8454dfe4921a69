// Everything that determines a supervised fine-tuning run, with documented defaults.

import VRCore
import VRModel
import VRText

/// The settings of `SFTTrainer`; JSON keys are the property names, and every key is optional.
///
/// Decoding rejects unknown keys (also inside `model`), so a misspelt setting is an error rather than
/// silently left at its default. Missing keys take the defaults below. Call `validate()` (done by
/// `decode(json:)` and `load(from:)`) before use.
public struct SFTConfiguration: Codable, Sendable, Equatable {
    /// The default architecture: 2 layers, width 64, 4 heads, context 192 (the longest posterior example of the
    /// default tasks, hinted with its worked solution, has 184 tokens), the byte vocabulary (268).
    public static let defaultModel = TransformerConfiguration(
        layerCount: 2, width: 64, headCount: 4, contextLength: 192, vocabularySize: ByteTokenizer.vocabularySize)

    /// The architecture of the freshly initialised model (default `defaultModel`).
    public var model: TransformerConfiguration = Self.defaultModel
    /// Optimizer steps to take, in 1...10^7 (default 300).
    public var steps: Int = 300
    /// Sequences per step (B), in 1...4096 (default 16).
    public var batchSize: Int = 16
    /// Peak learning rate, reached after warmup, in (0, 1] (default 3e-3, which small models tolerate).
    public var learningRate: Float = 3e-3
    /// The final learning rate as a fraction of the peak, in [0, 1] (default 0.1; 1 keeps the rate constant).
    public var minimumLearningRateRatio: Float = 0.1
    /// Steps of linear warmup, at least 0 and capped at `steps` (default 20).
    public var warmupSteps: Int = 20
    /// AdamW's decoupled weight decay on matrices and embeddings, at least 0 (default 0.1).
    public var weightDecay: Float = 0.1
    /// Global gradient-norm bound, positive (default 1).
    public var gradientClipNorm: Float = 1
    /// Seed of the initial parameters and of the data order (default 0).
    public var seed: UInt64 = 0
    /// Write a checkpoint every this many steps, or only at the end when 0 (default 0).
    public var checkpointEvery: Int = 0
    /// Report progress every this many steps, at least 1 (default 10).
    public var logEvery: Int = 10
    /// Whether responses that do not fit the context are cut instead of rejected (default false).
    public var truncateLongExamples: Bool = false

    /// Creates the default configuration.
    public init() {}

    /// The learning rate schedule: linear warmup to `learningRate`, cosine decay to its minimum at `steps`.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(
            peak: learningRate, minimum: learningRate * minimumLearningRateRatio,
            warmupSteps: min(warmupSteps, steps), totalSteps: steps)
    }

    /// The optimizer's settings: GPT-2's betas and epsilon with this configuration's weight decay.
    public var optimizer: AdamWConfiguration {
        AdamWConfiguration(weightDecay: weightDecay)
    }

    // MARK: - Decoding

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case model, steps, batchSize, learningRate, minimumLearningRateRatio, warmupSteps, weightDecay
        case gradientClipNorm, seed, checkpointEvery, logEvery, truncateLongExamples
    }

    private enum ModelKeys: String, CodingKey, CaseIterable {
        case layerCount, width, headCount, contextLength, vocabularySize
        case family, keyValueHeadCount, headWidth, hiddenWidth, ropeTheta, normEpsilon, tiedEmbeddings
    }

    /// Decodes a configuration, taking defaults for missing keys and rejecting unknown ones.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for an unknown key or a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        let defaults = SFTConfiguration()
        if container.contains(.model) {
            model = try Self.decodeModel(container.superDecoder(forKey: .model), defaults: defaults.model)
        }
        steps = try value(.steps, defaults.steps)
        batchSize = try value(.batchSize, defaults.batchSize)
        learningRate = try value(.learningRate, defaults.learningRate)
        minimumLearningRateRatio = try value(.minimumLearningRateRatio, defaults.minimumLearningRateRatio)
        warmupSteps = try value(.warmupSteps, defaults.warmupSteps)
        weightDecay = try value(.weightDecay, defaults.weightDecay)
        gradientClipNorm = try value(.gradientClipNorm, defaults.gradientClipNorm)
        seed = try value(.seed, defaults.seed)
        checkpointEvery = try value(.checkpointEvery, defaults.checkpointEvery)
        logEvery = try value(.logEvery, defaults.logEvery)
        truncateLongExamples = try value(.truncateLongExamples, defaults.truncateLongExamples)
    }

    /// Decodes the `model` object strictly, each missing key taking its default.
    private static func decodeModel(
        _ decoder: any Decoder, defaults: TransformerConfiguration
    ) throws
        -> TransformerConfiguration
    {
        try decoder.rejectUnknownKeys(ModelKeys.self)
        let container = try decoder.container(keyedBy: ModelKeys.self)
        // A Llama-family model is written in full (it comes from --initial); read it as the model type does.
        if try container.decodeIfPresent(ModelFamily.self, forKey: .family) ?? .gpt != .gpt {
            return try TransformerConfiguration(from: decoder)
        }
        func value(_ key: ModelKeys, _ fallback: Int) throws -> Int {
            try container.decodeIfPresent(Int.self, forKey: key) ?? fallback
        }
        return TransformerConfiguration(
            layerCount: try value(.layerCount, defaults.layerCount), width: try value(.width, defaults.width),
            headCount: try value(.headCount, defaults.headCount),
            contextLength: try value(.contextLength, defaults.contextLength),
            vocabularySize: try value(.vocabularySize, defaults.vocabularySize))
    }
}
