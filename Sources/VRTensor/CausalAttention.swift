// Causal multi-head self-attention over a packed qkv tensor, forward and backward.
//
// Legend: B batch, T time, C channels, H heads, D = C / H head width.
//   qkv [B, T, 3C]: columns [0, C) queries, [C, 2C) keys, [2C, 3C) values; head h owns columns h*D ..< (h+1)*D.
//   S = scale * Q K^T (scale = 1/sqrt(D)), P = softmax over j <= t (causal), O = P V.

/// Scaled dot-product attention with a causal mask, one sgemm pair per (sequence, head).
public enum CausalAttention {
    /// The shape of one attention call.
    public struct Shape: Sendable {
        /// Sequences in the batch (B).
        public let batch: Int
        /// Positions per sequence (T).
        public let time: Int
        /// Channels (C).
        public let channels: Int
        /// Heads (H).
        public let heads: Int

        /// Describes a `[B, T, C]` attention with `heads` heads.
        /// - Parameters:
        ///   - batch: B.
        ///   - time: T.
        ///   - channels: C, a multiple of `heads`.
        ///   - heads: H.
        public init(batch: Int, time: Int, channels: Int, heads: Int) {
            precondition(channels % heads == 0, "channels \(channels) must be a multiple of heads \(heads)")
            self.batch = batch
            self.time = time
            self.channels = channels
            self.heads = heads
        }

        /// Width of one head (D).
        public var headWidth: Int { channels / heads }
        /// 1 / sqrt(D).
        var scale: Float { 1 / Float(headWidth).squareRoot() }
    }

    /// Rows per block: each block of query rows multiplies only the keys up to its last row, skipping most
    /// of the masked upper triangle (at T = 128, 62% of the full products remain).
    static let blockRows = 32

    /// Computes `out` and saves the attention probabilities.
    /// - Parameters:
    ///   - qkv: `[B, T, 3C]`.
    ///   - probabilities: `[B, H, T, T]`, written (zero above the diagonal).
    ///   - out: `[B, T, C]`, overwritten.
    ///   - shape: the sizes.
    public static func forward(
        qkv: UnsafePointer<Float>, probabilities: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
        shape: Shape
    ) {
        let (t, c, d) = (shape.time, shape.channels, shape.headWidth)
        ComputePool.shared.forEach(shape.batch * shape.heads) { pair in
            let (sequence, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
            let query = qkv + sequence * t * 3 * c + head * d
            let p = probabilities + pair * t * t
            for rowStart in stride(from: 0, to: t, by: blockRows) {
                let rows = min(blockRows, t - rowStart)
                let columns = rowStart + rows
                Gemm.serial(
                    m: rows, n: columns, k: d, a: MatrixOperand(query + rowStart * 3 * c, leadingDimension: 3 * c),
                    b: MatrixOperand(query + c, leadingDimension: 3 * c, transposed: true), c: p + rowStart * t, ldc: t,
                    alpha: shape.scale)
                for row in rowStart..<columns {
                    VectorMath.softmaxInPlace(p + row * t, count: row + 1)
                    (p + row * t + row + 1).update(repeating: 0, count: t - row - 1)
                }
                Gemm.serial(
                    m: rows, n: d, k: columns, a: MatrixOperand(p + rowStart * t, leadingDimension: t),
                    b: MatrixOperand(query + 2 * c, leadingDimension: 3 * c),
                    c: out + (sequence * t + rowStart) * c + head * d, ldc: c)
            }
        }
    }

    /// Back-propagates through attention.
    ///
    /// ```
    /// dP = dO V^T,  dV = P^T dO,  dS = P * (dP - rowsum(P * dP)),  dQ = scale dS K,  dK = scale dS^T Q
    /// ```
    /// Query-row blocks give dS and dQ; key-row blocks then give dV and dK from the rows at or after them.
    /// - Parameters:
    ///   - dOut: `[B, T, C]` gradient of the output.
    ///   - qkv: `[B, T, 3C]` the forward input.
    ///   - probabilities: `[B, H, T, T]` from the forward pass.
    ///   - dQKV: `[B, T, 3C]`, overwritten.
    ///   - shape: the sizes.
    public static func backward(
        dOut: UnsafePointer<Float>, qkv: UnsafePointer<Float>, probabilities: UnsafePointer<Float>,
        dQKV: UnsafeMutablePointer<Float>, shape: Shape
    ) {
        let (t, c, d) = (shape.time, shape.channels, shape.headWidth)
        ComputePool.shared.forEachRange(shape.batch * shape.heads) { pairs in
            let dScores = FloatBuffer(count: t * t)
            let dS = dScores.pointer
            for pair in pairs {
                let (sequence, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
                let query = qkv + sequence * t * 3 * c + head * d
                let dQuery = dQKV + sequence * t * 3 * c + head * d
                let p = probabilities + pair * t * t
                let dO = dOut + sequence * t * c + head * d
                // 1. query-row blocks: dS and dQ
                for rowStart in stride(from: 0, to: t, by: blockRows) {
                    let rows = min(blockRows, t - rowStart)
                    let columns = rowStart + rows
                    Gemm.serial(
                        m: rows, n: columns, k: d, a: MatrixOperand(dO + rowStart * c, leadingDimension: c),
                        b: MatrixOperand(query + 2 * c, leadingDimension: 3 * c, transposed: true),
                        c: dS + rowStart * t,
                        ldc: t)
                    for row in rowStart..<columns {
                        softmaxBackwardRow(p: p + row * t, dP: dS + row * t, count: row + 1)
                        (dS + row * t + row + 1).update(repeating: 0, count: columns - row - 1)
                    }
                    Gemm.serial(
                        m: rows, n: d, k: columns, a: MatrixOperand(dS + rowStart * t, leadingDimension: t),
                        b: MatrixOperand(query + c, leadingDimension: 3 * c), c: dQuery + rowStart * 3 * c, ldc: 3 * c,
                        alpha: shape.scale)
                }
                // 2. key-row blocks: only the query rows at or after a key attend to it
                for keyStart in stride(from: 0, to: t, by: blockRows) {
                    let keys = min(blockRows, t - keyStart)
                    let attending = t - keyStart
                    Gemm.serial(
                        m: keys, n: d, k: attending,
                        a: MatrixOperand(p + keyStart * t + keyStart, leadingDimension: t, transposed: true),
                        b: MatrixOperand(dO + keyStart * c, leadingDimension: c),
                        c: dQuery + keyStart * 3 * c + 2 * c, ldc: 3 * c)
                    Gemm.serial(
                        m: keys, n: d, k: attending,
                        a: MatrixOperand(dS + keyStart * t + keyStart, leadingDimension: t, transposed: true),
                        b: MatrixOperand(query + keyStart * 3 * c, leadingDimension: 3 * c),
                        c: dQuery + keyStart * 3 * c + c, ldc: 3 * c, alpha: shape.scale)
                }
            }
        }
    }

    /// Replaces `dP` by the gradient of the softmax input: `p * (dP - dot(p, dP))`.
    @inline(__always)
    private static func softmaxBackwardRow(p: UnsafePointer<Float>, dP: UnsafeMutablePointer<Float>, count: Int) {
        let weighted = VectorMath.dot(p, dP, count: count)
        var index = 0
        while index + 16 <= count {
            VectorMath.store(VectorMath.load(p + index) * (VectorMath.load(dP + index) - weighted), dP + index)
            index += 16
        }
        while index < count {
            dP[index] = p[index] * (dP[index] - weighted)
            index += 1
        }
    }
}
