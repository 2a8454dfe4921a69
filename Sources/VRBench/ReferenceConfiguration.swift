// The model sizes `vr bench` measures, and the work each measurement does.

import VRModel

/// A named model with the batch shapes its benchmark uses: a built-in size with random weights, or a pretrained
/// checkpoint.
public struct ReferenceConfiguration: Sendable, Equatable {
    /// Short name ("S", "M", or the model file's name with the sampling batch).
    public let name: String
    /// The architecture.
    public let model: TransformerConfiguration
    /// Sequences per training step.
    public let trainingBatch: Int
    /// Tokens per training sequence.
    public let trainingTime: Int
    /// Sequences sampled together.
    public let samplingBatch: Int
    /// Prompt tokens per sampled sequence.
    public let promptLength: Int
    /// Tokens generated per sampled sequence.
    public let newTokens: Int
    /// The checkpoint whose weights are measured, or nil for random weights.
    public let checkpointPath: String?

    /// S: 4 layers, width 256, 4 heads, context 128, batch 16 x 128 tokens per step; 32 sequences sampled from a
    /// 16-token prompt to the end of the context.
    public static func small(vocabularySize: Int) -> ReferenceConfiguration {
        builtIn(
            name: "S", layerCount: 4, width: 256, headCount: 4, contextLength: 128, vocabularySize: vocabularySize,
            trainingBatch: 16)
    }

    /// M: 6 layers, width 384, 6 heads, context 256, batch 8 x 256 tokens per step; 32 sequences sampled from a
    /// 16-token prompt to the end of the context.
    public static func medium(vocabularySize: Int) -> ReferenceConfiguration {
        builtIn(
            name: "M", layerCount: 6, width: 384, headCount: 6, contextLength: 256, vocabularySize: vocabularySize,
            trainingBatch: 8)
    }

    /// A pretrained model: training batches of 4 x 256 tokens; `samplingBatch` sequences of 64 prompt tokens and 128
    /// new ones each (the shapes the comparison with llama.cpp and transformers uses).
    /// - Parameters:
    ///   - name: what to call it.
    ///   - model: its architecture.
    ///   - checkpointPath: where its weights are.
    ///   - samplingBatch: sequences sampled together.
    /// - Returns: the reference.
    public static func pretrained(
        name: String, model: TransformerConfiguration, checkpointPath: String, samplingBatch: Int
    ) -> ReferenceConfiguration {
        ReferenceConfiguration(
            name: name, model: model, trainingBatch: 4, trainingTime: min(256, model.contextLength),
            samplingBatch: samplingBatch, promptLength: 64, newTokens: 128, checkpointPath: checkpointPath)
    }

    private static func builtIn(
        name: String, layerCount: Int, width: Int, headCount: Int, contextLength: Int, vocabularySize: Int,
        trainingBatch: Int
    ) -> ReferenceConfiguration {
        ReferenceConfiguration(
            name: name,
            model: TransformerConfiguration(
                layerCount: layerCount, width: width, headCount: headCount, contextLength: contextLength,
                vocabularySize: vocabularySize),
            trainingBatch: trainingBatch, trainingTime: contextLength, samplingBatch: 32, promptLength: 16,
            newTokens: contextLength - 16, checkpointPath: nil)
    }

    /// The model with the reference's weights: the checkpoint's, or random ones.
    /// - Throws: `ModelError` if the checkpoint cannot be read or the configuration is invalid.
    func makeModel() throws(ModelError) -> Transformer {
        guard let checkpointPath else { return try Transformer(configuration: model, seed: 1) }
        let checkpoint = try Checkpoint.read(from: checkpointPath)
        return try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
    }
}
