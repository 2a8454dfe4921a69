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
            Gemm.serial(
                m: t, n: t, k: d, a: MatrixOperand(query, leadingDimension: 3 * c),
                b: MatrixOperand(query + c, leadingDimension: 3 * c, transposed: true), c: p, ldc: t,
                alpha: shape.scale)
            for row in 0..<t {
                VectorMath.softmaxInPlace(p + row * t, count: row + 1)
                (p + row * t + row + 1).update(repeating: 0, count: t - row - 1)
            }
            Gemm.serial(
                m: t, n: d, k: t, a: MatrixOperand(p, leadingDimension: t),
                b: MatrixOperand(query + 2 * c, leadingDimension: 3 * c), c: out + sequence * t * c + head * d,
                ldc: c)
        }
    }

    /// Back-propagates through attention.
    ///
    /// ```
    /// dP = dO V^T,  dV = P^T dO,  dS = P * (dP - rowsum(P * dP)),  dQ = scale dS K,  dK = scale dS^T Q
    /// ```
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
            for pair in pairs {
                let (sequence, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
                let query = qkv + sequence * t * 3 * c + head * d
                let dQuery = dQKV + sequence * t * 3 * c + head * d
                let p = probabilities + pair * t * t
                let dO = MatrixOperand(dOut + sequence * t * c + head * d, leadingDimension: c)
                Gemm.serial(
                    m: t, n: t, k: d, a: dO, b: MatrixOperand(query + 2 * c, leadingDimension: 3 * c, transposed: true),
                    c: dScores.pointer, ldc: t)
                Gemm.serial(
                    m: t, n: d, k: t, a: MatrixOperand(p, leadingDimension: t, transposed: true), b: dO,
                    c: dQuery + 2 * c, ldc: 3 * c)
                for row in 0..<t {
                    softmaxBackwardRow(p: p + row * t, dP: dScores.pointer + row * t, count: row + 1)
                    (dScores.pointer + row * t + row + 1).update(repeating: 0, count: t - row - 1)
                }
                Gemm.serial(
                    m: t, n: d, k: t, a: MatrixOperand(dScores.pointer, leadingDimension: t),
                    b: MatrixOperand(query + c, leadingDimension: 3 * c), c: dQuery, ldc: 3 * c, alpha: shape.scale)
                Gemm.serial(
                    m: t, n: d, k: t, a: MatrixOperand(dScores.pointer, leadingDimension: t, transposed: true),
                    b: MatrixOperand(query, leadingDimension: 3 * c), c: dQuery + c, ldc: 3 * c, alpha: shape.scale)
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
