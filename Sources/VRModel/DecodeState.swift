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
    /// Norm output `[R, C]` and statistics `[R]` (the mean for LayerNorm only).
    let normalized: FloatBuffer, mean: FloatBuffer, rstd: FloatBuffer
    /// Packed qkv `[R, W]`, attention output `[R, HD]`, branch output `[R, C]`.
    let qkv: FloatBuffer, attention: FloatBuffer, branch: FloatBuffer
    /// Qwen3's head-norm statistics `[R, H + G]`.
    let headRstd: FloatBuffer
    /// MLP pre-activation (GPT `[R, 4C]`, activated in place; Llama gate and up `[R, 2F]`) and the Llama family's
    /// activation `[R, F]`.
    let hidden: FloatBuffer, activated: FloatBuffer
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
        let isGPT = configuration.family == .gpt
        weights = DecodeWeights(model)
        geometry = CachedAttention.Geometry(
            heads: configuration.headCount, keyValueHeads: configuration.keyValueHeadCount,
            headWidth: configuration.headWidth, capacity: capacity)
        let cacheCount = geometry.cacheCount(slots: slotCount)
        keys = (0..<configuration.layerCount).map { _ in FloatBuffer(count: cacheCount) }
        values = (0..<configuration.layerCount).map { _ in FloatBuffer(count: cacheCount) }
        let r = rowCount
        residual = FloatBuffer(count: r * c)
        normalized = FloatBuffer(count: r * c)
        mean = FloatBuffer(count: r)
        rstd = FloatBuffer(count: r)
        qkv = FloatBuffer(count: r * configuration.queryKeyValueWidth)
        attention = FloatBuffer(count: r * configuration.attentionWidth)
        branch = FloatBuffer(count: r * c)
        headRstd = FloatBuffer(
            count: configuration.family.hasQueryKeyNorm
                ? r * (configuration.headCount + configuration.keyValueHeadCount) : 0)
        hidden = FloatBuffer(count: r * (isGPT ? 4 * c : 2 * configuration.hiddenWidth))
        activated = FloatBuffer(count: isGPT ? 0 : r * configuration.hiddenWidth)
        logits = FloatBuffer(count: r * configuration.vocabularySize)
    }
}

/// One thread's rows of a `DecodeState`'s step buffers: rows `firstRow ..< firstRow + A`.
struct DecodeRows {
    let residual: UnsafeMutablePointer<Float>, normalized: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
    let qkv: UnsafeMutablePointer<Float>, attention: UnsafeMutablePointer<Float>, branch: UnsafeMutablePointer<Float>
    let headRstd: UnsafeMutablePointer<Float>
    let hidden: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>

    init(_ state: DecodeState, firstRow: Int, configuration: TransformerConfiguration) {
        let (c, v) = (configuration.width, configuration.vocabularySize)
        let isGPT = configuration.family == .gpt
        residual = state.residual.pointer + firstRow * c
        normalized = state.normalized.pointer + firstRow * c
        (mean, rstd) = (state.mean.pointer + firstRow, state.rstd.pointer + firstRow)
        qkv = state.qkv.pointer + firstRow * configuration.queryKeyValueWidth
        attention = state.attention.pointer + firstRow * configuration.attentionWidth
        branch = state.branch.pointer + firstRow * c
        headRstd =
            state.headRstd.pointer + firstRow * (configuration.headCount + configuration.keyValueHeadCount)
            * (configuration.family.hasQueryKeyNorm ? 1 : 0)
        hidden = state.hidden.pointer + firstRow * (isGPT ? 4 * c : 2 * configuration.hiddenWidth)
        activated = state.activated.pointer + firstRow * (isGPT ? 0 : configuration.hiddenWidth)
        logits = state.logits.pointer + firstRow * v
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
        let rows = DecodeRows(state, firstRow: firstRow, configuration: configuration)
        let step = DecodeStepInput(tokens: tokens, slots: slots, positions: positions, state: state, rows: rows)
        switch layout.offsets {
        case .gpt(let offsets): decodeGPTBody(step, offsets: offsets)
        case .llama(let offsets): decodeLlamaBody(step, offsets: offsets)
        }
        Linear.forward(
            input: rows.normalized, packedWeight: state.weights.output, bias: nil, out: rows.logits,
            rowCount: tokens.count)
        return UnsafePointer(rows.logits)
    }
}

/// What a family's decoding body reads and writes: the step's tokens, slots and positions, and the buffers.
struct DecodeStepInput {
    let tokens: TokenBuffer, slots: TokenBuffer, positions: TokenBuffer
    let state: DecodeState
    let rows: DecodeRows

    /// A: the rows decoded.
    var rowCount: Int { tokens.count }
}
