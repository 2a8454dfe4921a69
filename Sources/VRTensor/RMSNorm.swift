// Root-mean-square normalisation over the channel dimension, forward and backward (Llama, Qwen2, Qwen3; Qwen3
// also normalises each head of the queries and keys with it).
//
// Legend: N rows, C channels.
//   y = x * rstd * weight,  rstd = 1 / sqrt(mean(x^2) + eps)

/// RMS normalisation with a learned scale (Zhang and Sennrich, 2019), as Hugging Face's `LlamaRMSNorm`.
public enum RMSNorm {
    /// Normalises each row and saves its reciprocal root mean square for the backward pass.
    /// - Parameters:
    ///   - input: `[N, C]`.
    ///   - weight: `[C]` scale.
    ///   - out: `[N, C]`, overwritten (may alias `input`).
    ///   - rstd: `[N]`, written.
    ///   - rowCount: N.
    ///   - channels: C.
    ///   - epsilon: the floor under the mean square (the model's `rms_norm_eps`).
    public static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
        rstd: UnsafeMutablePointer<Float>, rowCount: Int, channels: Int, epsilon: Float
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 32) { rows in
            for row in rows {
                let x = input + row * channels
                let y = out + row * channels
                let rowRstd = 1 / (VectorMath.dot(x, x, count: channels) / Float(channels) + epsilon).squareRoot()
                rstd[row] = rowRstd
                for index in 0..<channels { y[index] = x[index] * rowRstd * weight[index] }
            }
        }
    }

    /// Back-propagates through the normalisation.
    ///
    /// ```
    /// n = x * rstd,  g = dy * weight
    /// dx = rstd * (g - n * mean_c(g * n))
    /// dweight += sum_rows dy * n
    /// ```
    /// - Parameters:
    ///   - dOut: `[N, C]` gradient of the output.
    ///   - input: `[N, C]` the forward input.
    ///   - weight: `[C]`.
    ///   - rstd: `[N]` from the forward pass.
    ///   - dInput: `[N, C]`, accumulated into (`+=`).
    ///   - dWeight: `[C]`, accumulated into.
    ///   - rowCount: N.
    ///   - channels: C.
    public static func backward(
        dOut: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rstd: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
        rowCount: Int, channels: Int
    ) {
        let pool = ComputePool.shared
        let sliceCount = min(pool.threadCount, max(1, rowCount / 32))
        // Each slice sums its rows' weight gradients privately; the partial sums are added in slice order.
        let partials = FloatBuffer(count: sliceCount * channels)
        pool.forEach(sliceCount) { slice in
            let partial = partials.pointer + slice * channels
            for row in ComputePool.slice(slice, of: sliceCount, covering: rowCount) {
                let (dy, x, dx) = (dOut + row * channels, input + row * channels, dInput + row * channels)
                let rowRstd = rstd[row]
                var projection: Float = 0
                for index in 0..<channels { projection += dy[index] * weight[index] * x[index] * rowRstd }
                let meanProjection = projection / Float(channels)
                for index in 0..<channels {
                    let normalized = x[index] * rowRstd
                    dx[index] += rowRstd * (dy[index] * weight[index] - normalized * meanProjection)
                    partial[index] += dy[index] * normalized
                }
            }
        }
        for slice in 0..<sliceCount {
            VectorMath.addScaled(partials.pointer + slice * channels, alpha: 1, into: dWeight, count: channels)
        }
    }
}
