// One decoding step of causal attention against a key/value cache; the passes over the cache are C kernels
// (`kernel_body.h`).
//
// Legend: A active rows, S cache slots (sequences), H query heads, G key/value heads (H a multiple of G), D head
// width, W = (H + 2G) * D the width of a qkv row (queries, keys, values; see `CausalAttention`), P cache capacity
// rounded up to a multiple of 16.
//   keys [S, G, P/16, D, 16]: tiles of 16 positions, dimension-major inside a tile, so the scores of 16
//   positions are D vector multiply-adds over one contiguous 64*D-byte tile (no horizontal sums, and a
//   stream the prefetcher follows);
//   values [S, G, P, D]; row a belongs to slot slots[a] and sits at position positions[a].

import CKernels

/// Attention of one new token per sequence over that sequence's cached keys and values.
public enum CachedAttention {
    /// The cache geometry.
    public struct Geometry: Sendable {
        /// Query heads (H).
        public let heads: Int
        /// Key/value heads (G), the heads the cache holds.
        public let keyValueHeads: Int
        /// Head width (D).
        public let headWidth: Int
        /// Positions each slot holds, rounded up to a multiple of 16 (P).
        public let capacity: Int

        /// Describes caches of `[S, keyValueHeads, capacity / 16, headWidth, 16]` (keys) and
        /// `[S, keyValueHeads, capacity, headWidth]` (values).
        /// - Parameters:
        ///   - heads: H, a multiple of `keyValueHeads`.
        ///   - keyValueHeads: G.
        ///   - headWidth: D.
        ///   - capacity: P.
        public init(heads: Int, keyValueHeads: Int, headWidth: Int, capacity: Int) {
            precondition(
                keyValueHeads >= 1 && heads % keyValueHeads == 0,
                "heads \(heads) must be a multiple of key/value heads \(keyValueHeads)")
            self.heads = heads
            self.keyValueHeads = keyValueHeads
            self.headWidth = headWidth
            self.capacity = (capacity + 15) / 16 * 16
        }

        /// Floats in one key or value cache for `slots` sequences.
        /// - Parameter slots: S.
        /// - Returns: `S * G * P * D`.
        public func cacheCount(slots: Int) -> Int { slots * keyValueHeads * capacity * headWidth }

        /// Width of the qkv rows (W).
        var qkvWidth: Int { (heads + 2 * keyValueHeads) * headWidth }
        /// Query heads per key/value head.
        var groupSize: Int { heads / keyValueHeads }
    }

    /// Appends each row's key and value at its position, then attends over that row's positions `0...position`.
    /// - Precondition: every position is below `capacity`; every slot id is in range of the cache.
    /// - Parameters:
    ///   - qkv: `[A, W]` packed queries, keys, values of the new tokens.
    ///   - slots: `[A]` cache slot of each row.
    ///   - rowCount: A.
    ///   - positions: `[A]` the position of each row's new token.
    ///   - keys: `[S, G, P/16, D, 16]` key cache, written at each row's position.
    ///   - values: `[S, G, P, D]` value cache, written at each row's position.
    ///   - geometry: H, G, D, P.
    ///   - out: `[A, HD]`, overwritten.
    ///   - kernels: the kernel version to run, nil for the active one (`KernelInstructionSet.active`).
    /// - Precondition: `kernels` is nil or supported.
    public static func decode(
        qkv: UnsafePointer<Float>, slots: UnsafePointer<Int32>, rowCount: Int, positions: UnsafePointer<Int32>,
        keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>, geometry: Geometry,
        out: UnsafeMutablePointer<Float>, kernels: KernelInstructionSet? = nil
    ) {
        let table = kernels.table
        let (g, d, p, w) = (geometry.keyValueHeads, geometry.headWidth, geometry.capacity, geometry.qkvWidth)
        let o = geometry.heads * d
        let scale = 1 / Float(d).squareRoot()
        // One task per (row, key/value head): the query heads of a group read the cache block it writes.
        ComputePool.shared.forEachRange(rowCount * g, minimumPerSlice: max(1, 8 / geometry.groupSize)) { tasks in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: p) { scores in
                let scores = scores.baseAddress.unsafelyUnwrapped
                for task in tasks {
                    let (row, group) = task.quotientAndRemainder(dividingBy: g)
                    let position = Int(positions[row])
                    let block = (Int(slots[row]) * g + group) * p * d
                    let keyTiles = keys + block
                    let key = qkv + row * w + (geometry.heads + group) * d
                    let value = qkv + row * w + (geometry.heads + g + group) * d
                    (values + block + position * d).update(from: value, count: d)
                    for head in group * geometry.groupSize..<(group + 1) * geometry.groupSize {
                        let query = qkv + row * w + head * d
                        // The new key's score comes from its row; the key enters its tile only after the scores
                        // have brought the tile into L1, so its scattered stores do not wait for memory.
                        vr_attention_scores(table, query, keyTiles, position / 16 + 1, d, scores)
                        scores[position] = VectorMath.dot(query, key, count: d)
                        VectorMath.softmaxInPlace(scores, count: position + 1, scale: scale)
                        vr_attention_values(table, scores, values + block, position + 1, d, out + row * o + head * d)
                    }
                    storeKey(key, position: position, keyTiles: keyTiles, dimensions: d)
                }
            }
        }
    }

    /// Writes the keys and values of positions `0..<rowCount` of one sequence into its cache slot, from the
    /// packed qkv rows of a full forward pass (prompt prefill).
    /// - Precondition: `rowCount <= capacity`; `slot` is in range of the cache.
    /// - Parameters:
    ///   - qkv: `[rowCount, W]` packed query, key, value rows of positions `0..<rowCount`.
    ///   - rowCount: the number of positions.
    ///   - slot: the sequence's cache slot.
    ///   - keys: the key cache (layout above).
    ///   - values: the value cache.
    ///   - geometry: H, G, D, P.
    public static func prefill(
        qkv: UnsafePointer<Float>, rowCount: Int, slot: Int, keys: UnsafeMutablePointer<Float>,
        values: UnsafeMutablePointer<Float>, geometry: Geometry
    ) {
        let (g, d, p, w) = (geometry.keyValueHeads, geometry.headWidth, geometry.capacity, geometry.qkvWidth)
        precondition(rowCount <= p, "prefill of \(rowCount) positions into a cache of \(p)")
        for group in 0..<g {
            let block = (slot * g + group) * p * d
            for position in 0..<rowCount {
                let row = qkv + position * w
                storeKey(
                    row + (geometry.heads + group) * d, position: position, keyTiles: keys + block, dimensions: d)
                (values + block + position * d).update(from: row + (geometry.heads + g + group) * d, count: d)
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
