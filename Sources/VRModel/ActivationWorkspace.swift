// The activations a forward pass keeps for the backward pass, and the backward pass's scratch space.
//
// Legend: N rows (B * T), C channels, H heads, V vocabulary, L layers.

import VRTensor

/// Buffers sized for one batch shape, reused across steps of the same or a smaller shape.
final class ActivationWorkspace {
    /// One block's saved activations.
    struct Block {
        /// LayerNorm 1 output `[N, C]` and its statistics `[N]`.
        let ln1: FloatBuffer, ln1Mean: FloatBuffer, ln1Rstd: FloatBuffer
        /// Packed queries, keys, values `[N, 3C]`.
        let qkv: FloatBuffer
        /// Attention probabilities `[B, H, T, T]`.
        let probabilities: FloatBuffer
        /// Attention output before the projection `[N, C]`.
        let attention: FloatBuffer
        /// Residual stream after the attention branch `[N, C]`.
        let residualMid: FloatBuffer
        /// LayerNorm 2 output `[N, C]` and its statistics `[N]`.
        let ln2: FloatBuffer, ln2Mean: FloatBuffer, ln2Rstd: FloatBuffer
        /// MLP pre-activation and activation `[N, 4C]`.
        let hidden: FloatBuffer, activated: FloatBuffer
    }

    /// Rows this workspace holds (N).
    let rowCapacity: Int
    /// Attention probability entries per layer it holds (B * H * T * T).
    let probabilityCapacity: Int
    /// Residual stream entering each block, plus the final one: L + 1 buffers `[N, C]`.
    let residuals: [FloatBuffer]
    /// Per-block activations.
    let blocks: [Block]
    /// Final LayerNorm output `[N, C]` and statistics.
    let lnFinal: FloatBuffer, lnFinalMean: FloatBuffer, lnFinalRstd: FloatBuffer
    /// Logits `[N, V]`, replaced by their gradient in the backward pass.
    let logits: FloatBuffer
    /// Target log-probabilities `[N]`.
    let logProbs: FloatBuffer
    /// Backward scratch: residual gradient `[N, C]`, LayerNorm-input gradient `[N, C]`, `[N, 3C]`, `[N, C]`,
    /// `[N, 4C]`.
    let dResidual: FloatBuffer, dNormalized: FloatBuffer, dQKV: FloatBuffer, dAttention: FloatBuffer
    let dHidden: FloatBuffer

    init(configuration: TransformerConfiguration, rowCapacity n: Int, probabilityCapacity: Int) {
        let c = configuration.width
        rowCapacity = n
        self.probabilityCapacity = probabilityCapacity
        residuals = (0...configuration.layerCount).map { _ in FloatBuffer(count: n * c) }
        blocks = (0..<configuration.layerCount).map { _ in
            Block(
                ln1: FloatBuffer(count: n * c), ln1Mean: FloatBuffer(count: n), ln1Rstd: FloatBuffer(count: n),
                qkv: FloatBuffer(count: n * 3 * c), probabilities: FloatBuffer(count: probabilityCapacity),
                attention: FloatBuffer(count: n * c), residualMid: FloatBuffer(count: n * c),
                ln2: FloatBuffer(count: n * c), ln2Mean: FloatBuffer(count: n), ln2Rstd: FloatBuffer(count: n),
                hidden: FloatBuffer(count: n * 4 * c), activated: FloatBuffer(count: n * 4 * c))
        }
        lnFinal = FloatBuffer(count: n * c)
        lnFinalMean = FloatBuffer(count: n)
        lnFinalRstd = FloatBuffer(count: n)
        logits = FloatBuffer(count: n * configuration.vocabularySize)
        logProbs = FloatBuffer(count: n)
        dResidual = FloatBuffer(count: n * c)
        dNormalized = FloatBuffer(count: n * c)
        dQKV = FloatBuffer(count: n * 3 * c)
        dAttention = FloatBuffer(count: n * c)
        dHidden = FloatBuffer(count: n * 4 * c)
    }

    /// Whether a batch of this shape fits.
    func fits(rowCount: Int, probabilityCount: Int) -> Bool {
        rowCount <= rowCapacity && probabilityCount <= probabilityCapacity
    }
}
