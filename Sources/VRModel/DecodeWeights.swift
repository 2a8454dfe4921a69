// The weights that decoding multiplies by, packed once per `sample` call.
//
// Legend: C channels, V vocabulary, W qkv width, HD attention width, F MLP width (4C for the GPT family).
// Decoding multiplies a few rows by each weight per token; sgemm would repack every weight on every call
// (see `PackedWeight`).

import VRTensor

/// The decoding step's weights, packed into column panels.
final class DecodeWeights {
    /// Per block: qkv `[W, C]`, attention projection `[C, HD]`, MLP expansion (GPT `[4C, C]`; Llama gate and up
    /// `[2F, C]`), contraction `[C, F]`.
    struct Block {
        let qkv: PackedWeight, projection: PackedWeight, expansion: PackedWeight, contraction: PackedWeight
    }

    let blocks: [Block]
    /// The output projection `[V, C]`, for the logits.
    let output: PackedWeight

    init(_ model: Transformer) {
        let configuration = model.configuration
        let (c, w, o) = (configuration.width, configuration.queryKeyValueWidth, configuration.attentionWidth)
        let source = UnsafePointer(model.parameters.pointer)
        switch model.layout.offsets {
        case .gpt(let offsets):
            blocks = offsets.blocks.map { block in
                Block(
                    qkv: PackedWeight(source + block.qkvWeight, outputCount: w, inputCount: c),
                    projection: PackedWeight(source + block.projWeight, outputCount: c, inputCount: o),
                    expansion: PackedWeight(source + block.fcWeight, outputCount: 4 * c, inputCount: c),
                    contraction: PackedWeight(source + block.fcProjWeight, outputCount: c, inputCount: 4 * c))
            }
        case .llama(let offsets):
            let f = configuration.hiddenWidth
            blocks = offsets.blocks.map { block in
                Block(
                    qkv: PackedWeight(source + block.queryKeyValueWeight, outputCount: w, inputCount: c),
                    projection: PackedWeight(source + block.outputProjection, outputCount: c, inputCount: o),
                    expansion: PackedWeight(source + block.gateUpWeight, outputCount: 2 * f, inputCount: c),
                    contraction: PackedWeight(source + block.downWeight, outputCount: c, inputCount: f))
            }
        }
        output = PackedWeight(
            source + model.layout.outputWeight, outputCount: configuration.vocabularySize, inputCount: c)
    }
}
