// The model sizes `vr bench` measures, and the work each measurement does.

import VRModel

/// A named model size with the batch shapes its benchmark uses.
public struct ReferenceConfiguration: Sendable, Equatable {
    /// Short name ("S", "M").
    public let name: String
    /// The architecture.
    public let model: TransformerConfiguration
    /// Sequences per training step (each of full context length).
    public let trainingBatch: Int

    /// Sequences sampled together.
    public static let samplingBatch = 32
    /// Prompt tokens per sampled sequence; the rest of the context is generated.
    public static let promptLength = 16

    /// S: 4 layers, width 256, 4 heads, context 128, batch 16 x 128 tokens per step.
    public static func small(vocabularySize: Int) -> ReferenceConfiguration {
        ReferenceConfiguration(
            name: "S",
            model: TransformerConfiguration(
                layerCount: 4, width: 256, headCount: 4, contextLength: 128, vocabularySize: vocabularySize),
            trainingBatch: 16)
    }

    /// M: 6 layers, width 384, 6 heads, context 256, batch 8 x 256 tokens per step.
    public static func medium(vocabularySize: Int) -> ReferenceConfiguration {
        ReferenceConfiguration(
            name: "M",
            model: TransformerConfiguration(
                layerCount: 6, width: 384, headCount: 6, contextLength: 256, vocabularySize: vocabularySize),
            trainingBatch: 8)
    }

    /// Tokens generated per sequence when sampling.
    public var newTokens: Int { model.contextLength - Self.promptLength }
}
