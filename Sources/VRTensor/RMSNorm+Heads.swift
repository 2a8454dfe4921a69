// RMS normalisation of each attention head of packed query/key rows, in place (Qwen3's q_norm and k_norm).
//
// Legend: N rows, K heads per row, D head width; head k of row n starts at rows + n * stride + k * D.
//   y = x * rstd * weight over the D values of one head, rstd = 1 / sqrt(mean(x^2) + eps)

extension RMSNorm {
    /// Normalises, in place, every head of every row with one `[D]` scale shared by the heads, and saves each
    /// head's reciprocal root mean square.
    /// - Parameters:
    ///   - rows: the first head of row 0.
    ///   - rowCount: N.
    ///   - rowStride: floats from one row to the next.
    ///   - headCount: K.
    ///   - headWidth: D.
    ///   - weight: `[D]` scale.
    ///   - rstd: `[N, K]`, written.
    ///   - epsilon: the floor under the mean square.
    public static func forwardHeads(
        _ rows: UnsafeMutablePointer<Float>, rowCount: Int, rowStride: Int, headCount: Int, headWidth: Int,
        weight: UnsafePointer<Float>, rstd: UnsafeMutablePointer<Float>, epsilon: Float
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 16) { range in
            for row in range {
                for head in 0..<headCount {
                    let x = rows + row * rowStride + head * headWidth
                    let headRstd =
                        1 / (VectorMath.dot(x, x, count: headWidth) / Float(headWidth) + epsilon).squareRoot()
                    rstd[row * headCount + head] = headRstd
                    for index in 0..<headWidth { x[index] = x[index] * headRstd * weight[index] }
                }
            }
        }
    }

    /// Back-propagates through `forwardHeads`, replacing the output gradient by the input gradient in place.
    ///
    /// ```
    /// n = x * rstd,  g = dy * weight,  dx = rstd * (g - n * mean_d(g * n)),  dweight += sum dy * n
    /// ```
    /// - Parameters:
    ///   - gradients: `dy` on entry, `dx` on return; laid out like the rows.
    ///   - inputs: the forward inputs `x`, laid out like the rows (same stride).
    ///   - rowCount: N.
    ///   - rowStride: floats from one row to the next, in both `gradients` and `inputs`.
    ///   - headCount: K.
    ///   - headWidth: D.
    ///   - weight: `[D]`.
    ///   - rstd: `[N, K]` from the forward pass.
    ///   - dWeight: `[D]`, accumulated into.
    public static func backwardHeads(
        _ gradients: UnsafeMutablePointer<Float>, inputs: UnsafePointer<Float>, rowCount: Int, rowStride: Int,
        headCount: Int, headWidth: Int, weight: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
        dWeight: UnsafeMutablePointer<Float>
    ) {
        let pool = ComputePool.shared
        let sliceCount = min(pool.threadCount, max(1, rowCount / 16))
        // Each slice sums its heads' weight gradients privately; the partial sums are added in slice order.
        let partials = FloatBuffer(count: sliceCount * headWidth)
        pool.forEach(sliceCount) { slice in
            let partial = partials.pointer + slice * headWidth
            for row in ComputePool.slice(slice, of: sliceCount, covering: rowCount) {
                for head in 0..<headCount {
                    let offset = row * rowStride + head * headWidth
                    let (dy, x) = (gradients + offset, inputs + offset)
                    let headRstd = rstd[row * headCount + head]
                    var projection: Float = 0
                    for index in 0..<headWidth { projection += dy[index] * weight[index] * x[index] * headRstd }
                    let meanProjection = projection / Float(headWidth)
                    for index in 0..<headWidth {
                        let normalized = x[index] * headRstd
                        partial[index] += dy[index] * normalized
                        dy[index] = headRstd * (dy[index] * weight[index] - normalized * meanProjection)
                    }
                }
            }
        }
        for slice in 0..<sliceCount {
            VectorMath.addScaled(partials.pointer + slice * headWidth, alpha: 1, into: dWeight, count: headWidth)
        }
    }
}
