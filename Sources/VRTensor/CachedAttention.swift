// One decoding step of causal attention against a key/value cache.
//
// Legend: A active rows, S cache slots (sequences), H heads, D head width, C = H * D, P cache capacity.
//   cache [S, H, P, D]; row a belongs to slot slots[a] and sits at `position` (the same for every row).

/// Attention of one new token per sequence over that sequence's cached keys and values.
public enum CachedAttention {
    /// The cache geometry.
    public struct Geometry: Sendable {
        /// Heads (H).
        public let heads: Int
        /// Head width (D).
        public let headWidth: Int
        /// Positions each slot holds (P).
        public let capacity: Int

        /// Describes a cache of `[S, heads, capacity, headWidth]`.
        /// - Parameters:
        ///   - heads: H.
        ///   - headWidth: D.
        ///   - capacity: P.
        public init(heads: Int, headWidth: Int, capacity: Int) {
            self.heads = heads
            self.headWidth = headWidth
            self.capacity = capacity
        }
    }

    /// Appends each row's key and value at `position`, then attends over positions `0...position`.
    /// - Precondition: `position < capacity`; every slot id is in range of the cache.
    /// - Parameters:
    ///   - qkv: `[A, 3C]` packed query, key, value of the new tokens.
    ///   - slots: `[A]` cache slot of each row.
    ///   - rowCount: A.
    ///   - position: the new tokens' position.
    ///   - keys: `[S, H, P, D]` key cache, written at `position`.
    ///   - values: `[S, H, P, D]` value cache, written at `position`.
    ///   - geometry: H, D, P.
    ///   - out: `[A, C]`, overwritten.
    public static func decode(
        qkv: UnsafePointer<Float>, slots: UnsafePointer<Int32>, rowCount: Int, position: Int,
        keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>, geometry: Geometry,
        out: UnsafeMutablePointer<Float>
    ) {
        let (h, d, p) = (geometry.heads, geometry.headWidth, geometry.capacity)
        let c = h * d
        let scale = 1 / Float(d).squareRoot()
        ComputePool.shared.forEachRange(rowCount * h, minimumPerSlice: 8) { pairs in
            let scores = FloatBuffer(count: position + 1)
            for pair in pairs {
                let (row, head) = pair.quotientAndRemainder(dividingBy: h)
                let query = qkv + row * 3 * c + head * d
                let block = (Int(slots[row]) * h + head) * p * d
                (keys + block + position * d).update(from: query + c, count: d)
                (values + block + position * d).update(from: query + 2 * c, count: d)
                Gemm.vector(
                    rows: position + 1, columns: d, a: MatrixOperand(keys + block, leadingDimension: d), x: query,
                    y: scores.pointer, alpha: scale)
                VectorMath.softmaxInPlace(scores.pointer, count: position + 1)
                Gemm.vector(
                    rows: position + 1, columns: d, a: MatrixOperand(values + block, leadingDimension: d, transposed: true),
                    x: scores.pointer, y: out + row * c + head * d)
            }
        }
    }
}
