// Causal multi-head self-attention over a packed qkv tensor, with grouped-query attention, forward and backward.
//
// Legend: B batch, T time, H query heads, G key/value heads (H a multiple of G), D head width,
// W = (H + 2G) * D the width of a qkv row.
//   qkv [B, T, W]: columns [0, HD) queries, [HD, HD + GD) keys, [HD + GD, W) values; head h owns columns
//   h*D ..< (h+1)*D of its part, and query head h reads key/value head h / (H / G).
//   S = scale * Q K^T (scale = 1/sqrt(D)), P = softmax over j <= t (causal), O = P V; out [B, T, HD].

/// Scaled dot-product attention with a causal mask, one sgemm pair per (sequence, head).
public enum CausalAttention {
    /// The shape of one attention call.
    public struct Shape: Sendable {
        /// Sequences in the batch (B).
        public let batch: Int
        /// Positions per sequence (T).
        public let time: Int
        /// Query heads (H).
        public let heads: Int
        /// Key/value heads (G), each shared by `heads / keyValueHeads` query heads.
        public let keyValueHeads: Int
        /// Width of one head (D).
        public let headWidth: Int

        /// Describes attention of `heads` query heads over `keyValueHeads` key/value heads.
        /// - Parameters:
        ///   - batch: B.
        ///   - time: T.
        ///   - heads: H, a multiple of `keyValueHeads`.
        ///   - keyValueHeads: G.
        ///   - headWidth: D.
        public init(batch: Int, time: Int, heads: Int, keyValueHeads: Int, headWidth: Int) {
            precondition(
                keyValueHeads >= 1 && heads % keyValueHeads == 0,
                "heads \(heads) must be a multiple of key/value heads \(keyValueHeads)")
            self.batch = batch
            self.time = time
            self.heads = heads
            self.keyValueHeads = keyValueHeads
            self.headWidth = headWidth
        }

        /// Width of the output rows (H * D).
        public var outputWidth: Int { heads * headWidth }
        /// Width of the qkv rows (W).
        public var qkvWidth: Int { (heads + 2 * keyValueHeads) * headWidth }
        /// Query heads per key/value head.
        var groupSize: Int { heads / keyValueHeads }
        /// 1 / sqrt(D).
        var scale: Float { 1 / Float(headWidth).squareRoot() }
        /// The column of key/value head `group`'s keys in a qkv row.
        func keyColumn(_ group: Int) -> Int { (heads + group) * headWidth }
        /// The column of key/value head `group`'s values in a qkv row.
        func valueColumn(_ group: Int) -> Int { (heads + keyValueHeads + group) * headWidth }
    }

    /// Rows per block: each block of query rows multiplies only the keys up to its last row, skipping most
    /// of the masked upper triangle (at T = 128, 62% of the full products remain).
    static let blockRows = 32

    /// Computes `out` and saves the attention probabilities.
    /// - Parameters:
    ///   - qkv: `[B, T, W]`.
    ///   - probabilities: `[B, H, T, T]`, written (zero above the diagonal).
    ///   - out: `[B, T, HD]`, overwritten.
    ///   - shape: the sizes.
    public static func forward(
        qkv: UnsafePointer<Float>, probabilities: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
        shape: Shape
    ) {
        let (t, w, d, o) = (shape.time, shape.qkvWidth, shape.headWidth, shape.outputWidth)
        ComputePool.shared.forEach(shape.batch * shape.heads) { pair in
            let (sequence, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
            let group = head / shape.groupSize
            let rows = qkv + sequence * t * w
            let query = rows + head * d
            let p = probabilities + pair * t * t
            for rowStart in stride(from: 0, to: t, by: blockRows) {
                let blockRowCount = min(blockRows, t - rowStart)
                let columns = rowStart + blockRowCount
                Gemm.serial(
                    m: blockRowCount, n: columns, k: d, a: MatrixOperand(query + rowStart * w, leadingDimension: w),
                    b: MatrixOperand(rows + shape.keyColumn(group), leadingDimension: w, transposed: true),
                    c: p + rowStart * t, ldc: t, alpha: shape.scale)
                for row in rowStart..<columns {
                    VectorMath.softmaxInPlace(p + row * t, count: row + 1)
                    (p + row * t + row + 1).update(repeating: 0, count: t - row - 1)
                }
                Gemm.serial(
                    m: blockRowCount, n: d, k: columns, a: MatrixOperand(p + rowStart * t, leadingDimension: t),
                    b: MatrixOperand(rows + shape.valueColumn(group), leadingDimension: w),
                    c: out + (sequence * t + rowStart) * o + head * d, ldc: o)
            }
        }
    }

    /// Back-propagates through attention.
    ///
    /// ```
    /// dP = dO V^T,  dV = P^T dO,  dS = P * (dP - rowsum(P * dP)),  dQ = scale dS K,  dK = scale dS^T Q
    /// ```
    /// Query-row blocks give dS and dQ; key-row blocks then give dV and dK from the rows at or after them, summed
    /// over the query heads that share the key/value head.
    /// - Parameters:
    ///   - dOut: `[B, T, HD]` gradient of the output.
    ///   - qkv: `[B, T, W]` the forward input.
    ///   - probabilities: `[B, H, T, T]` from the forward pass.
    ///   - dQKV: `[B, T, W]`, overwritten.
    ///   - shape: the sizes.
    public static func backward(
        dOut: UnsafePointer<Float>, qkv: UnsafePointer<Float>, probabilities: UnsafePointer<Float>,
        dQKV: UnsafeMutablePointer<Float>, shape: Shape
    ) {
        let (t, w, d, o) = (shape.time, shape.qkvWidth, shape.headWidth, shape.outputWidth)
        // One task per (sequence, key/value head): the query heads of a group add into the same dK and dV.
        ComputePool.shared.forEachRange(shape.batch * shape.keyValueHeads) { tasks in
            let dScores = FloatBuffer(count: t * t)
            let dS = dScores.pointer
            for task in tasks {
                let (sequence, group) = task.quotientAndRemainder(dividingBy: shape.keyValueHeads)
                let rows = qkv + sequence * t * w
                let dRows = dQKV + sequence * t * w
                for member in 0..<shape.groupSize {
                    let head = group * shape.groupSize + member
                    let query = rows + head * d
                    let dQuery = dRows + head * d
                    let p = probabilities + (sequence * shape.heads + head) * t * t
                    let dO = dOut + sequence * t * o + head * d
                    // 1. query-row blocks: dS and dQ
                    for rowStart in stride(from: 0, to: t, by: blockRows) {
                        let blockRowCount = min(blockRows, t - rowStart)
                        let columns = rowStart + blockRowCount
                        Gemm.serial(
                            m: blockRowCount, n: columns, k: d,
                            a: MatrixOperand(dO + rowStart * o, leadingDimension: o),
                            b: MatrixOperand(rows + shape.valueColumn(group), leadingDimension: w, transposed: true),
                            c: dS + rowStart * t, ldc: t)
                        for row in rowStart..<columns {
                            softmaxBackwardRow(p: p + row * t, dP: dS + row * t, count: row + 1)
                            (dS + row * t + row + 1).update(repeating: 0, count: columns - row - 1)
                        }
                        Gemm.serial(
                            m: blockRowCount, n: d, k: columns,
                            a: MatrixOperand(dS + rowStart * t, leadingDimension: t),
                            b: MatrixOperand(rows + shape.keyColumn(group), leadingDimension: w),
                            c: dQuery + rowStart * w, ldc: w, alpha: shape.scale)
                    }
                    // 2. key-row blocks: only the query rows at or after a key attend to it
                    let beta: Float = member == 0 ? 0 : 1
                    for keyStart in stride(from: 0, to: t, by: blockRows) {
                        let keys = min(blockRows, t - keyStart)
                        let attending = t - keyStart
                        Gemm.serial(
                            m: keys, n: d, k: attending,
                            a: MatrixOperand(p + keyStart * t + keyStart, leadingDimension: t, transposed: true),
                            b: MatrixOperand(dO + keyStart * o, leadingDimension: o),
                            c: dRows + keyStart * w + shape.valueColumn(group), ldc: w, beta: beta)
                        Gemm.serial(
                            m: keys, n: d, k: attending,
                            a: MatrixOperand(dS + keyStart * t + keyStart, leadingDimension: t, transposed: true),
                            b: MatrixOperand(query + keyStart * w, leadingDimension: w),
                            c: dRows + keyStart * w + shape.keyColumn(group), ldc: w, alpha: shape.scale, beta: beta)
                    }
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
