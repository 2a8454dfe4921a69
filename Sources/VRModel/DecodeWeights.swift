// The weights that decoding multiplies by, packed once per `sample` call.
//
// Legend: C channels, V vocabulary. Decoding multiplies a few rows by each weight per token; sgemm would
// repack every weight on every call (see `PackedWeight`).

import VRTensor

/// The decoding step's weights, packed into column panels.
final class DecodeWeights {
    /// Per block: qkv `[3C, C]`, attention projection `[C, C]`, MLP expansion `[4C, C]`, contraction `[C, 4C]`.
    struct Block {
        let qkv: PackedWeight, projection: PackedWeight, expansion: PackedWeight, contraction: PackedWeight
    }

    let blocks: [Block]
    /// The token embedding `[V, C]`, for the output logits.
    let tokenEmbedding: PackedWeight

    init(_ model: Transformer) {
        let c = model.configuration.width
        let source = UnsafePointer(model.parameters.pointer)
        blocks = model.layout.blocks.map { block in
            Block(
                qkv: PackedWeight(source + block.qkvWeight, outputCount: 3 * c, inputCount: c),
                projection: PackedWeight(source + block.projWeight, outputCount: c, inputCount: c),
                expansion: PackedWeight(source + block.fcWeight, outputCount: 4 * c, inputCount: c),
                contraction: PackedWeight(source + block.fcProjWeight, outputCount: c, inputCount: 4 * c))
        }
        tokenEmbedding = PackedWeight(
            source + model.layout.tokenEmbedding, outputCount: model.configuration.vocabularySize, inputCount: c)
    }
}
