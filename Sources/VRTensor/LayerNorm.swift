// Layer normalisation over the channel dimension, forward and backward.
//
// Legend: N rows, C channels.
//   y = (x - mean) * rstd * weight + bias,  rstd = 1 / sqrt(var + eps),  var biased (divided by C).

/// Layer normalisation with learned scale and shift (Ba, Kiros and Hinton, 2016).
public enum LayerNorm {
    /// The variance floor, as in GPT-2.
    public static let epsilon: Float = 1e-5

    /// Normalises each row and saves its mean and reciprocal standard deviation for the backward pass.
    /// - Parameters:
    ///   - input: `[N, C]`.
    ///   - weight: `[C]` scale.
    ///   - bias: `[C]` shift.
    ///   - out: `[N, C]`.
    ///   - mean: `[N]`, written.
    ///   - rstd: `[N]`, written.
    ///   - rowCount: N.
    ///   - channels: C.
    public static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
        rowCount: Int, channels: Int
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 32) { rows in
            for row in rows {
                let x = input + row * channels
                let y = out + row * channels
                let rowMean = sum(x, channels) / Float(channels)
                var squares = Float16Lanes()
                var tail: Float = 0
                var index = 0
                while index + 16 <= channels {
                    let centered = VectorMath.load(x + index) - rowMean
                    squares += centered * centered
                    index += 16
                }
                while index < channels {
                    tail += (x[index] - rowMean) * (x[index] - rowMean)
                    index += 1
                }
                let rowRstd = 1 / ((squares.sum() + tail) / Float(channels) + epsilon).squareRoot()
                mean[row] = rowMean
                rstd[row] = rowRstd
                index = 0
                while index + 16 <= channels {
                    let normalized = (VectorMath.load(x + index) - rowMean) * rowRstd
                    VectorMath.store(
                        normalized * VectorMath.load(weight + index) + VectorMath.load(bias + index), y + index)
                    index += 16
                }
                while index < channels {
                    y[index] = (x[index] - rowMean) * rowRstd * weight[index] + bias[index]
                    index += 1
                }
            }
        }
    }

    /// Back-propagates through the normalisation.
    ///
    /// ```
    /// n = (x - mean) * rstd,  g = dy * weight
    /// dx = rstd * (g - mean_c(g) - n * mean_c(g * n))
    /// dweight += sum_rows dy * n,  dbias += sum_rows dy
    /// ```
    /// - Parameters:
    ///   - dOut: `[N, C]` gradient of the output.
    ///   - input: `[N, C]` the forward input.
    ///   - weight: `[C]`.
    ///   - mean: `[N]` from the forward pass.
    ///   - rstd: `[N]` from the forward pass.
    ///   - dInput: `[N, C]`, accumulated into (`+=`).
    ///   - dWeight: `[C]`, accumulated into.
    ///   - dBias: `[C]`, accumulated into.
    ///   - rowCount: N.
    ///   - channels: C.
    public static func backward(
        dOut: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>,
        dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>, rowCount: Int, channels: Int
    ) {
        let pool = ComputePool.shared
        let sliceCount = min(pool.threadCount, max(1, rowCount / 32))
        // Each slice sums its rows' parameter gradients privately; the partial sums are added in slice order.
        let partials = FloatBuffer(count: sliceCount * 2 * channels)
        pool.forEach(sliceCount) { slice in
            let rows = ComputePool.slice(slice, of: sliceCount, covering: rowCount)
            let partialWeight = partials.pointer + slice * 2 * channels
            let partialBias = partialWeight + channels
            for row in rows {
                backwardRow(
                    dy: dOut + row * channels, x: input + row * channels, weight: weight, mean: mean[row],
                    rstd: rstd[row], dx: dInput + row * channels, dWeight: partialWeight, dBias: partialBias,
                    channels: channels)
            }
        }
        for slice in 0..<sliceCount {
            VectorMath.addScaled(partials.pointer + slice * 2 * channels, alpha: 1, into: dWeight, count: channels)
            VectorMath.addScaled(
                partials.pointer + slice * 2 * channels + channels, alpha: 1, into: dBias, count: channels)
        }
    }

    @inline(__always)
    private static func backwardRow(
        dy: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, mean: Float, rstd: Float,
        dx: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        channels: Int
    ) {
        // 1. the row's two reductions, and the parameter gradients
        var gradientSums = Float16Lanes()
        var gradientDotNormalizedSums = Float16Lanes()
        var index = 0
        while index + 16 <= channels {
            let normalized = (VectorMath.load(x + index) - mean) * rstd
            let outGradient = VectorMath.load(dy + index)
            let gradient = outGradient * VectorMath.load(weight + index)
            gradientSums += gradient
            gradientDotNormalizedSums += gradient * normalized
            VectorMath.store(VectorMath.load(dWeight + index) + outGradient * normalized, dWeight + index)
            VectorMath.store(VectorMath.load(dBias + index) + outGradient, dBias + index)
            index += 16
        }
        var gradientSum = gradientSums.sum()
        var gradientDotNormalized = gradientDotNormalizedSums.sum()
        for channel in index..<channels {
            let normalized = (x[channel] - mean) * rstd
            let gradient = dy[channel] * weight[channel]
            gradientSum += gradient
            gradientDotNormalized += gradient * normalized
            dWeight[channel] += dy[channel] * normalized
            dBias[channel] += dy[channel]
        }
        // 2. the input gradient
        let meanGradient = gradientSum / Float(channels)
        let meanGradientDotNormalized = gradientDotNormalized / Float(channels)
        index = 0
        while index + 16 <= channels {
            let normalized = (VectorMath.load(x + index) - mean) * rstd
            let gradient = VectorMath.load(dy + index) * VectorMath.load(weight + index)
            let update = rstd * (gradient - meanGradient - normalized * meanGradientDotNormalized)
            VectorMath.store(VectorMath.load(dx + index) + update, dx + index)
            index += 16
        }
        for channel in index..<channels {
            let normalized = (x[channel] - mean) * rstd
            let gradient = dy[channel] * weight[channel]
            dx[channel] += rstd * (gradient - meanGradient - normalized * meanGradientDotNormalized)
        }
    }

    private static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var total = Float16Lanes()
        var index = 0
        while index + 16 <= count {
            total += VectorMath.load(x + index)
            index += 16
        }
        var tail: Float = 0
        while index < count {
            tail += x[index]
            index += 1
        }
        return total.sum() + tail
    }
}
