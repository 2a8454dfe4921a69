// Transposed copies of the weights that decoding multiplies by, made once per `sample` call.
//
// Legend: C channels, V vocabulary. Decoding multiplies a few rows by each weight; sgemm reads a weight
// stored [in, out] in packing order, which is about 25% faster for such products than [out, in].

import VRTensor

/// The decoding step's weights in `[in, out]` layout.
final class DecodeWeights {
    /// Per block: qkv `[C, 3C]`, attention projection `[C, C]`, MLP expansion `[C, 4C]`, contraction `[4C, C]`.
    struct Block {
        let qkv: Int, projection: Int, expansion: Int, contraction: Int
    }

    let storage: FloatBuffer
    let blocks: [Block]
    /// The token embedding transposed, `[C, V]`, for the output logits.
    let tokenEmbedding: Int

    init(_ model: Transformer) {
        let c = model.configuration.width
        let v = model.configuration.vocabularySize
        let perBlock = 12 * c * c
        storage = FloatBuffer(count: model.layout.blocks.count * perBlock + c * v)
        var blocks: [Block] = []
        let source = UnsafePointer(model.parameters.pointer)
        for (index, block) in model.layout.blocks.enumerated() {
            let base = index * perBlock
            let offsets = Block(
                qkv: base, projection: base + 3 * c * c, expansion: base + 4 * c * c, contraction: base + 8 * c * c)
            Transpose.copy(source + block.qkvWeight, into: storage.pointer + offsets.qkv, rows: 3 * c, columns: c)
            Transpose.copy(source + block.projWeight, into: storage.pointer + offsets.projection, rows: c, columns: c)
            Transpose.copy(source + block.fcWeight, into: storage.pointer + offsets.expansion, rows: 4 * c, columns: c)
            Transpose.copy(
                source + block.fcProjWeight, into: storage.pointer + offsets.contraction, rows: c, columns: 4 * c)
            blocks.append(offsets)
        }
        self.blocks = blocks
        tokenEmbedding = model.layout.blocks.count * perBlock
        Transpose.copy(
            source + model.layout.tokenEmbedding, into: storage.pointer + tokenEmbedding, rows: v, columns: c)
    }

    /// The address of a tensor in `storage`.
    func pointer(_ offset: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage.pointer + offset)
    }
}
