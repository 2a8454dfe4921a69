// The steps of a Llama-family block that act on packed rows: rotary positions and Qwen3's head norms on the
// query and key heads of qkv rows, and the SwiGLU activation of the gate and up halves of the MLP's rows.
//
// Legend: N rows, H query heads, G key/value heads, D head width, W = (H + 2G) D, F MLP width.

import VRTensor

extension Transformer {
    /// Rotates every query and key head of `rowCount` qkv rows `[N, W]` by its row's position, or back with
    /// `inverse` (the backward pass).
    func rotateQueriesAndKeys(
        _ qkv: UnsafeMutablePointer<Float>, rowCount: Int, positions: UnsafePointer<Int32>, inverse: Bool
    ) {
        guard let rotaryEmbedding else { preconditionFailure("a \(configuration.family) model has no rotary table") }
        let (w, h, g) = (configuration.queryKeyValueWidth, configuration.headCount, configuration.keyValueHeadCount)
        let keys = configuration.attentionWidth
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 16) { rows in
            let (first, rowPositions) = (qkv + rows.lowerBound * w, positions + rows.lowerBound)
            rotaryEmbedding.rotate(
                first, rowCount: rows.count, rowStride: w, headCount: h, positions: rowPositions, inverse: inverse)
            rotaryEmbedding.rotate(
                first + keys, rowCount: rows.count, rowStride: w, headCount: g, positions: rowPositions,
                inverse: inverse)
        }
    }

    /// Qwen3: RMS-normalises, in place, each query head with `queryNorm` and each key head with `keyNorm`; `rstd`
    /// `[N, H + G]` receives the query heads' statistics `[N, H]` and then the key heads' `[N, G]`.
    func normalizeHeads(
        _ qkv: UnsafeMutablePointer<Float>, rowCount: Int, queryNorm: UnsafePointer<Float>,
        keyNorm: UnsafePointer<Float>, rstd: UnsafeMutablePointer<Float>
    ) {
        let (w, d, h) = (configuration.queryKeyValueWidth, configuration.headWidth, configuration.headCount)
        RMSNorm.forwardHeads(
            qkv, rowCount: rowCount, rowStride: w, headCount: h, headWidth: d, weight: queryNorm, rstd: rstd,
            epsilon: configuration.normEpsilon)
        RMSNorm.forwardHeads(
            qkv + h * d, rowCount: rowCount, rowStride: w, headCount: configuration.keyValueHeadCount, headWidth: d,
            weight: keyNorm, rstd: rstd + rowCount * h, epsilon: configuration.normEpsilon)
    }

    /// Back-propagates through `normalizeHeads`, in place in `dQKV`, accumulating the two scales' gradients.
    func normalizeHeadsBackward(
        _ dQKV: UnsafeMutablePointer<Float>, inputs: UnsafePointer<Float>, rowCount: Int,
        queryNorm: UnsafePointer<Float>, keyNorm: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
        dQueryNorm: UnsafeMutablePointer<Float>, dKeyNorm: UnsafeMutablePointer<Float>
    ) {
        let (w, d, h) = (configuration.queryKeyValueWidth, configuration.headWidth, configuration.headCount)
        RMSNorm.backwardHeads(
            dQKV, inputs: inputs, rowCount: rowCount, rowStride: w, headCount: h, headWidth: d, weight: queryNorm,
            rstd: rstd, dWeight: dQueryNorm)
        RMSNorm.backwardHeads(
            dQKV + h * d, inputs: inputs + h * d, rowCount: rowCount, rowStride: w,
            headCount: configuration.keyValueHeadCount, headWidth: d, weight: keyNorm, rstd: rstd + rowCount * h,
            dWeight: dKeyNorm)
    }

    /// `out[n] = silu(gate[n]) * up[n]` for rows `[N, 2F]` holding the gate in their first F values and the up
    /// projection in the last F.
    static func gatedActivation(
        gateUp: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, rowCount: Int, width: Int
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 8) { rows in
            for row in rows {
                let gate = gateUp + row * 2 * width
                SwiGLU.forward(gate: gate, up: gate + width, out: out + row * width, count: width)
            }
        }
    }

    /// Back-propagates through `gatedActivation`: `dGateUp` `[N, 2F]` is overwritten.
    static func gatedActivationBackward(
        dOut: UnsafePointer<Float>, gateUp: UnsafePointer<Float>, dGateUp: UnsafeMutablePointer<Float>,
        rowCount: Int, width: Int
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 8) { rows in
            for row in rows {
                let (gate, dGate) = (gateUp + row * 2 * width, dGateUp + row * 2 * width)
                SwiGLU.backward(
                    dOut: dOut + row * width, gate: gate, up: gate + width, dGate: dGate, dUp: dGate + width,
                    count: width)
            }
        }
    }
}
