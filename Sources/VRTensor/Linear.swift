// Fully connected layers y = x W^T + b on sgemm, forward and backward.
//
// Legend: N rows, I input features, O output features. Weights are stored [O, I] (torch.nn.Linear layout).

/// A dense layer whose weight is stored `[O, I]`.
public enum Linear {
    /// `out = input * weight^T + bias`.
    /// - Parameters:
    ///   - input: `[N, I]`.
    ///   - weight: `[O, I]`.
    ///   - bias: `[O]`, or nil for none.
    ///   - out: `[N, O]`, overwritten.
    ///   - rowCount: N.
    ///   - inputCount: I.
    ///   - outputCount: O.
    public static func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, rowCount: Int, inputCount: Int, outputCount: Int
    ) {
        if let bias {
            ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 64) { rows in
                for row in rows { (out + row * outputCount).update(from: bias, count: outputCount) }
            }
        }
        Gemm.multiply(
            m: rowCount, n: outputCount, k: inputCount, a: MatrixOperand(input, leadingDimension: inputCount),
            b: MatrixOperand(weight, leadingDimension: inputCount, transposed: true), c: out, ldc: outputCount,
            beta: bias == nil ? 0 : 1)
    }

    /// Back-propagates through the layer.
    ///
    /// ```
    /// dInput = dOut * W            (overwritten)
    /// dWeight += dOut^T * input,   dBias += sum_rows dOut
    /// ```
    /// - Parameters:
    ///   - dOut: `[N, O]` gradient of the output.
    ///   - input: `[N, I]` the forward input.
    ///   - weight: `[O, I]`.
    ///   - dInput: `[N, I]`, overwritten.
    ///   - dWeight: `[O, I]`, accumulated into.
    ///   - dBias: `[O]`, accumulated into; nil for a layer without bias.
    ///   - rowCount: N.
    ///   - inputCount: I.
    ///   - outputCount: O.
    public static func backward(
        dOut: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        dInput: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
        rowCount: Int, inputCount: Int, outputCount: Int
    ) {
        Gemm.multiply(
            m: rowCount, n: inputCount, k: outputCount, a: MatrixOperand(dOut, leadingDimension: outputCount),
            b: MatrixOperand(weight, leadingDimension: inputCount), c: dInput, ldc: inputCount)
        Gemm.multiply(
            m: outputCount, n: inputCount, k: rowCount,
            a: MatrixOperand(dOut, leadingDimension: outputCount, transposed: true),
            b: MatrixOperand(input, leadingDimension: inputCount), c: dWeight, ldc: inputCount, beta: 1)
        if let dBias { addColumnSums(of: dOut, rowCount: rowCount, columnCount: outputCount, into: dBias) }
    }

    /// `total[o] += sum_n matrix[n, o]`, with threads splitting the columns.
    /// - Parameters:
    ///   - matrix: `[N, O]`.
    ///   - rowCount: N.
    ///   - columnCount: O.
    ///   - total: `[O]`, accumulated into.
    public static func addColumnSums(
        of matrix: UnsafePointer<Float>, rowCount: Int, columnCount: Int, into total: UnsafeMutablePointer<Float>
    ) {
        ComputePool.shared.forEachRange(columnCount, minimumPerSlice: 64) { columns in
            for row in 0..<rowCount {
                VectorMath.addScaled(
                    matrix + row * columnCount + columns.lowerBound, alpha: 1, into: total + columns.lowerBound,
                    count: columns.count)
            }
        }
    }
}
