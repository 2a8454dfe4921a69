// One decoding step of causal attention against a key/value cache.
//
// Legend: A active rows, S cache slots (sequences), H heads, D head width, C = H * D, P cache capacity.
//   keys [S, H, D, P] (transposed, so the scores of all positions are D vectorised row updates),
//   values [S, H, P, D]; row a belongs to slot slots[a] and sits at `position` (the same for every row).

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

        /// Describes caches of `[S, heads, headWidth, capacity]` (keys) and `[S, heads, capacity, headWidth]`
        /// (values).
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
    ///   - keys: `[S, H, D, P]` key cache, written at `position`.
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
            withUnsafeTemporaryAllocation(of: Float.self, capacity: position + 1) { scores in
                let scores = scores.baseAddress.unsafelyUnwrapped
                for pair in pairs {
                    let (row, head) = pair.quotientAndRemainder(dividingBy: h)
                    let query = qkv + row * 3 * c + head * d
                    let block = (Int(slots[row]) * h + head) * p * d
                    let keyRows = keys + block
                    for dimension in 0..<d { keyRows[dimension * p + position] = query[c + dimension] }
                    (values + block + position * d).update(from: query + 2 * c, count: d)
                    scores.update(repeating: 0, count: position + 1)
                    for dimension in 0..<d {
                        VectorMath.addScaled(
                            keyRows + dimension * p, alpha: query[dimension], into: scores, count: position + 1)
                    }
                    VectorMath.softmaxInPlace(scores, count: position + 1, scale: scale)
                    let output = out + row * c + head * d
                    output.update(repeating: 0, count: d)
                    for key in 0...position {
                        VectorMath.addScaled(values + block + key * d, alpha: scores[key], into: output, count: d)
                    }
                }
            }
        }
    }
}
