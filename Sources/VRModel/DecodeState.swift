// The key/value cache and scratch buffers of batched incremental decoding.
//
// Legend: S slots (sequences), R rows (tokens decoded at once), L layers, H heads, P capacity (positions),
// D head width, C channels, V vocabulary.

import VRTensor

/// Per-layer key and value caches of S slots (layouts in `CachedAttention`), packed weights, and the
/// per-step buffers of R rows.
final class DecodeState {
    let weights: DecodeWeights
    let geometry: CachedAttention.Geometry
    let keys: [FloatBuffer]
    let values: [FloatBuffer]
    /// Residual stream `[R, C]`.
    let residual: FloatBuffer
    /// LayerNorm output `[R, C]` and statistics `[R]`.
    let normalized: FloatBuffer, mean: FloatBuffer, rstd: FloatBuffer
    /// Packed qkv `[R, 3C]`, attention output `[R, C]`, branch output `[R, C]`.
    let qkv: FloatBuffer, attention: FloatBuffer, branch: FloatBuffer
    /// MLP hidden `[R, 4C]`.
    let hidden: FloatBuffer
    /// Logits `[R, V]`.
    let logits: FloatBuffer

    /// Creates caches and buffers.
    /// - Parameters:
    ///   - model: the model whose weights are packed.
    ///   - slotCount: S, the sequences cached.
    ///   - rowCount: R, the rows of the step buffers; the threads that decode at once use disjoint rows.
    ///   - capacity: the positions each slot holds.
    init(model: Transformer, slotCount: Int, rowCount: Int, capacity: Int) {
        let configuration = model.configuration
        let c = configuration.width
        weights = DecodeWeights(model)
        geometry = CachedAttention.Geometry(
            heads: configuration.headCount, headWidth: configuration.headWidth, capacity: capacity)
        let cacheCount = geometry.cacheCount(slots: slotCount)
        keys = (0..<configuration.layerCount).map { _ in FloatBuffer(count: cacheCount) }
        values = (0..<configuration.layerCount).map { _ in FloatBuffer(count: cacheCount) }
        let r = rowCount
        residual = FloatBuffer(count: r * c)
        normalized = FloatBuffer(count: r * c)
        mean = FloatBuffer(count: r)
        rstd = FloatBuffer(count: r)
        qkv = FloatBuffer(count: r * 3 * c)
        attention = FloatBuffer(count: r * c)
        branch = FloatBuffer(count: r * c)
        hidden = FloatBuffer(count: r * 4 * c)
        logits = FloatBuffer(count: r * configuration.vocabularySize)
    }
}

extension Transformer {
    /// Runs one token per row through the model, each at its own position, extending the cache, and returns the
    /// logits.
    ///
    /// Row `i` uses row `firstRow + i` of `state`'s buffers, so threads that decode disjoint row ranges of one
    /// state can run at once.
    /// - Parameters:
    ///   - tokens: `[A]` input ids.
    ///   - slots: `[A]` the cache slot (sequence) of each row.
    ///   - firstRow: where the rows start in `state`'s buffers; `firstRow + A <= R`.
    ///   - positions: `[A]` the position of each input token, below the cache capacity.
    ///   - state: caches and scratch.
    /// - Returns: logits `[A, V]` (valid until the next step on these rows).
    func decodeStep(
        tokens: TokenBuffer, slots: TokenBuffer, firstRow: Int = 0, positions: TokenBuffer, state: DecodeState
    )
        -> UnsafePointer<Float>
    {
        let (a, c, v) = (tokens.count, configuration.width, configuration.vocabularySize)
        let weights = UnsafePointer(parameters.pointer)
        let packed = state.weights
        let residual = state.residual.pointer + firstRow * c
        let normalized = state.normalized.pointer + firstRow * c
        let (mean, rstd) = (state.mean.pointer + firstRow, state.rstd.pointer + firstRow)
        let qkv = state.qkv.pointer + firstRow * 3 * c
        let attention = state.attention.pointer + firstRow * c
        let branch = state.branch.pointer + firstRow * c
        let hidden = state.hidden.pointer + firstRow * 4 * c
        let logits = state.logits.pointer + firstRow * v
        Embedding.forward(
            tokens: tokens.pointer, positions: positions.pointer, tokenTable: weights + layout.tokenEmbedding,
            positionTable: weights + layout.positionEmbedding, out: residual, rowCount: a, channels: c)
        for (index, (block, decodeBlock)) in zip(layout.blocks, packed.blocks).enumerated() {
            LayerNorm.forward(
                input: residual, weight: weights + block.ln1Weight, bias: weights + block.ln1Bias, out: normalized,
                mean: mean, rstd: rstd, rowCount: a, channels: c)
            Linear.forward(
                input: normalized, packedWeight: decodeBlock.qkv, bias: weights + block.qkvBias, out: qkv, rowCount: a)
            CachedAttention.decode(
                qkv: qkv, slots: slots.pointer, rowCount: a, positions: positions.pointer,
                keys: state.keys[index].pointer, values: state.values[index].pointer, geometry: state.geometry,
                out: attention)
            Linear.forward(
                input: attention, packedWeight: decodeBlock.projection, bias: weights + block.projBias, out: branch,
                rowCount: a)
            VectorMath.add(residual, branch, into: residual, count: a * c)
            LayerNorm.forward(
                input: residual, weight: weights + block.ln2Weight, bias: weights + block.ln2Bias, out: normalized,
                mean: mean, rstd: rstd, rowCount: a, channels: c)
            Linear.forward(
                input: normalized, packedWeight: decodeBlock.expansion, bias: weights + block.fcBias, out: hidden,
                rowCount: a)
            GELU.forward(input: hidden, out: hidden, count: a * 4 * c)
            Linear.forward(
                input: hidden, packedWeight: decodeBlock.contraction, bias: weights + block.fcProjBias, out: branch,
                rowCount: a)
            VectorMath.add(residual, branch, into: residual, count: a * c)
        }
        LayerNorm.forward(
            input: residual, weight: weights + layout.finalNormWeight, bias: weights + layout.finalNormBias,
            out: normalized, mean: mean, rstd: rstd, rowCount: a, channels: c)
        Linear.forward(
            input: normalized, packedWeight: packed.tokenEmbedding, bias: nil, out: logits, rowCount: a)
        return UnsafePointer(logits)
    }
}
