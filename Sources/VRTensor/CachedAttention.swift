// One decoding step of causal attention against a key/value cache; the passes over the cache are C kernels
// (`kernel_body.h`).
//
// Legend: A active rows, S cache slots (sequences), H heads, D head width, C = H * D, P cache capacity
// rounded up to a multiple of 16.
//   keys [S, H, P/16, D, 16]: tiles of 16 positions, dimension-major inside a tile, so the scores of 16
//   positions are D vector multiply-adds over one contiguous 64*D-byte tile (no horizontal sums, and a
//   stream the prefetcher follows);
//   values [S, H, P, D]; row a belongs to slot slots[a] and sits at position positions[a].

import CKernels

/// Attention of one new token per sequence over that sequence's cached keys and values.
public enum CachedAttention {
    /// The cache geometry.
    public struct Geometry: Sendable {
        /// Heads (H).
        public let heads: Int
        /// Head width (D).
        public let headWidth: Int
        /// Positions each slot holds, rounded up to a multiple of 16 (P).
        public let capacity: Int

        /// Describes caches of `[S, heads, capacity / 16, headWidth, 16]` (keys) and
        /// `[S, heads, capacity, headWidth]` (values).
        /// - Parameters:
        ///   - heads: H.
        ///   - headWidth: D.
        ///   - capacity: P.
        public init(heads: Int, headWidth: Int, capacity: Int) {
            self.heads = heads
            self.headWidth = headWidth
            self.capacity = (capacity + 15) / 16 * 16
        }

        /// Floats in one key or value cache for `slots` sequences.
        /// - Parameter slots: S.
        /// - Returns: `S * H * P * D`.
        public func cacheCount(slots: Int) -> Int { slots * heads * capacity * headWidth }
    }

    /// Appends each row's key and value at its position, then attends over that row's positions `0...position`.
    /// - Precondition: every position is below `capacity`; every slot id is in range of the cache.
    /// - Parameters:
    ///   - qkv: `[A, 3C]` packed query, key, value of the new tokens.
    ///   - slots: `[A]` cache slot of each row.
    ///   - rowCount: A.
    ///   - positions: `[A]` the position of each row's new token.
    ///   - keys: `[S, H, P/16, D, 16]` key cache, written at each row's position.
    ///   - values: `[S, H, P, D]` value cache, written at each row's position.
    ///   - geometry: H, D, P.
    ///   - out: `[A, C]`, overwritten.
    ///   - kernels: the kernel version to run, nil for the active one (`KernelInstructionSet.active`).
    /// - Precondition: `kernels` is nil or supported.
    public static func decode(
        qkv: UnsafePointer<Float>, slots: UnsafePointer<Int32>, rowCount: Int, positions: UnsafePointer<Int32>,
        keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>, geometry: Geometry,
        out: UnsafeMutablePointer<Float>, kernels: KernelInstructionSet? = nil
    ) {
        let table = kernels.table
        let (h, d, p) = (geometry.heads, geometry.headWidth, geometry.capacity)
        let c = h * d
        let scale = 1 / Float(d).squareRoot()
        ComputePool.shared.forEachRange(rowCount * h, minimumPerSlice: 8) { pairs in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: p) { scores in
                let scores = scores.baseAddress.unsafelyUnwrapped
                for pair in pairs {
                    let (row, head) = pair.quotientAndRemainder(dividingBy: h)
                    let position = Int(positions[row])
                    let query = qkv + row * 3 * c + head * d
                    let block = (Int(slots[row]) * h + head) * p * d
                    let (keyTiles, key) = (keys + block, query + c)
                    (values + block + position * d).update(from: query + 2 * c, count: d)
                    // The new key's score comes from its row; the key enters its tile only after the scores have
                    // brought the tile into L1, so its scattered stores do not wait for memory.
                    vr_attention_scores(table, query, keyTiles, position / 16 + 1, d, scores)
                    scores[position] = VectorMath.dot(query, key, count: d)
                    storeKey(key, position: position, keyTiles: keyTiles, dimensions: d)
                    VectorMath.softmaxInPlace(scores, count: position + 1, scale: scale)
                    vr_attention_values(table, scores, values + block, position + 1, d, out + row * c + head * d)
                }
            }
        }
    }

    /// Writes the keys and values of positions `0..<rowCount` of one sequence into its cache slot, from the
    /// packed qkv rows of a full forward pass (prompt prefill).
    /// - Precondition: `rowCount <= capacity`; `slot` is in range of the cache.
    /// - Parameters:
    ///   - qkv: `[rowCount, 3C]` packed query, key, value rows of positions `0..<rowCount`.
    ///   - rowCount: the number of positions.
    ///   - slot: the sequence's cache slot.
    ///   - keys: the key cache (layout above).
    ///   - values: the value cache.
    ///   - geometry: H, D, P.
    public static func prefill(
        qkv: UnsafePointer<Float>, rowCount: Int, slot: Int, keys: UnsafeMutablePointer<Float>,
        values: UnsafeMutablePointer<Float>, geometry: Geometry
    ) {
        let (h, d, p) = (geometry.heads, geometry.headWidth, geometry.capacity)
        let c = h * d
        precondition(rowCount <= p, "prefill of \(rowCount) positions into a cache of \(p)")
        for head in 0..<h {
            let block = (slot * h + head) * p * d
            for position in 0..<rowCount {
                let row = qkv + position * 3 * c + head * d
                storeKey(row + c, position: position, keyTiles: keys + block, dimensions: d)
                (values + block + position * d).update(from: row + 2 * c, count: d)
            }
        }
    }

    /// Writes one position's key of one head into its 16-position tile.
    @inline(__always)
    private static func storeKey(
        _ key: UnsafePointer<Float>, position: Int, keyTiles: UnsafeMutablePointer<Float>, dimensions: Int
    ) {
        let (tile, lane) = position.quotientAndRemainder(dividingBy: 16)
        for dimension in 0..<dimensions { keyTiles[(tile * dimensions + dimension) * 16 + lane] = key[dimension] }
    }
}
