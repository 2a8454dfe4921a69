// The activations a forward pass keeps for the backward pass, and the backward pass's scratch space.
//
// Legend: N rows (B * T), C channels, H query heads, D head width, W qkv width ((H + 2G) * D), F MLP width,
// V vocabulary, L layers, R rows of one block of logits.

import VRTensor

/// Buffers sized for one batch shape of one model, reused across steps of the same or a smaller shape.
///
/// The two families keep the same activations under the same names; where one needs a buffer the other does not,
/// the other's is empty.
final class ActivationWorkspace {
    /// One block's saved activations.
    struct Block {
        /// The attention branch's normalised input `[N, C]` and its statistics `[N]` (the mean for LayerNorm only).
        let attentionInput: FloatBuffer, attentionMean: FloatBuffer, attentionRstd: FloatBuffer
        /// The queries, keys and values as attention reads them `[N, W]` (after Qwen3's head norms and the
        /// rotation).
        let qkv: FloatBuffer
        /// Qwen3: the projections before the head norms `[N, W]`, and each query and key head's statistic
        /// `[N, H + G]`.
        let projectedQKV: FloatBuffer, headRstd: FloatBuffer
        /// Attention probabilities `[B, H, T, T]`.
        let probabilities: FloatBuffer
        /// Attention output before the projection `[N, HD]`.
        let attention: FloatBuffer
        /// Residual stream after the attention branch `[N, C]`.
        let residualMid: FloatBuffer
        /// The MLP's normalised input `[N, C]` and its statistics `[N]`.
        let mlpInput: FloatBuffer, mlpMean: FloatBuffer, mlpRstd: FloatBuffer
        /// The MLP's pre-activation (GPT `[N, 4C]`; Llama the gate and up projections `[N, 2F]`) and activation
        /// (GPT `[N, 4C]`; Llama `[N, F]`).
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
    /// The final norm's output `[N, C]` and statistics `[N]`.
    let finalNormed: FloatBuffer, finalMean: FloatBuffer, finalRstd: FloatBuffer
    /// One block of logits `[R, V]`.
    let logitBlock: FloatBuffer
    /// Target log-probabilities `[N]`.
    let logProbs: FloatBuffer
    /// Backward scratch: residual gradient `[N, C]`, norm-output gradient `[N, C]`, `[N, W]`, `[N, HD]`, the
    /// MLP pre-activation's gradient and, for Llama, the activation's `[N, F]`.
    let dResidual: FloatBuffer, dNormalized: FloatBuffer, dQKV: FloatBuffer, dAttention: FloatBuffer
    let dHidden: FloatBuffer, dActivated: FloatBuffer

    init(configuration: TransformerConfiguration, rowCapacity n: Int, probabilityCapacity: Int) {
        let (c, w, o) = (configuration.width, configuration.queryKeyValueWidth, configuration.attentionWidth)
        let isGPT = configuration.family == .gpt
        let hiddenWidth = isGPT ? 4 * c : 2 * configuration.hiddenWidth
        let activatedWidth = isGPT ? 4 * c : configuration.hiddenWidth
        let headNormed = configuration.family.hasQueryKeyNorm
        rowCapacity = n
        self.probabilityCapacity = probabilityCapacity
        residuals = (0...configuration.layerCount).map { _ in FloatBuffer(count: n * c) }
        blocks = (0..<configuration.layerCount).map { _ in
            Block(
                attentionInput: FloatBuffer(count: n * c), attentionMean: FloatBuffer(count: isGPT ? n : 0),
                attentionRstd: FloatBuffer(count: n), qkv: FloatBuffer(count: n * w),
                projectedQKV: FloatBuffer(count: headNormed ? n * w : 0),
                headRstd: FloatBuffer(
                    count: headNormed ? n * (configuration.headCount + configuration.keyValueHeadCount) : 0),
                probabilities: FloatBuffer(count: probabilityCapacity), attention: FloatBuffer(count: n * o),
                residualMid: FloatBuffer(count: n * c), mlpInput: FloatBuffer(count: n * c),
                mlpMean: FloatBuffer(count: isGPT ? n : 0), mlpRstd: FloatBuffer(count: n),
                hidden: FloatBuffer(count: n * hiddenWidth), activated: FloatBuffer(count: n * activatedWidth))
        }
        finalNormed = FloatBuffer(count: n * c)
        finalMean = FloatBuffer(count: isGPT ? n : 0)
        finalRstd = FloatBuffer(count: n)
        let blockRows = min(n, OutputProjection.blockRowCount(vocabularySize: configuration.vocabularySize))
        logitBlock = FloatBuffer(count: blockRows * configuration.vocabularySize)
        logProbs = FloatBuffer(count: n)
        dResidual = FloatBuffer(count: n * c)
        dNormalized = FloatBuffer(count: n * c)
        dQKV = FloatBuffer(count: n * w)
        dAttention = FloatBuffer(count: n * o)
        dHidden = FloatBuffer(count: n * hiddenWidth)
        dActivated = FloatBuffer(count: isGPT ? 0 : n * activatedWidth)
    }

    /// Whether a batch of this shape fits.
    func fits(rowCount: Int, probabilityCount: Int) -> Bool {
        rowCount <= rowCapacity && probabilityCount <= probabilityCapacity
    }
}
