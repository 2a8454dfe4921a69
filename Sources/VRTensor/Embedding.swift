// Token (+ position) embedding lookup and its backward.
//
// Legend: N rows (batch x time, flattened), C channels, V vocabulary, T positions.

/// The sum of a token embedding and, for models with learned positions, a position embedding for each row.
public enum Embedding {
    /// `out[n] = tokenTable[tokens[n]] + positionTable[positions[n]]`, or the token row alone without a table.
    /// - Precondition: every token id is in `0..<V` and every position in `0..<T` (checked by the caller).
    /// - Parameters:
    ///   - tokens: `[N]` token ids.
    ///   - positions: `[N]` positions.
    ///   - tokenTable: `[V, C]`.
    ///   - positionTable: `[T, C]`, or nil for a model without learned positions.
    ///   - out: `[N, C]`.
    ///   - rowCount: N.
    ///   - channels: C.
    public static func forward(
        tokens: UnsafePointer<Int32>, positions: UnsafePointer<Int32>, tokenTable: UnsafePointer<Float>,
        positionTable: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, rowCount: Int, channels: Int
    ) {
        ComputePool.shared.forEachRange(rowCount, minimumPerSlice: 64) { rows in
            for row in rows {
                let token = tokenTable + Int(tokens[row]) * channels
                guard let positionTable else {
                    (out + row * channels).update(from: token, count: channels)
                    continue
                }
                let position = positionTable + Int(positions[row]) * channels
                for channel in 0..<channels { out[row * channels + channel] = token[channel] + position[channel] }
            }
        }
    }

    /// Accumulates the embedding gradients: `dTokenTable[tokens[n]] += dOut[n]`, likewise for positions.
    ///
    /// Threads split the channels, so rows that share a token never race.
    /// - Parameters:
    ///   - dOut: `[N, C]` gradient of the output.
    ///   - tokens: `[N]` token ids.
    ///   - positions: `[N]` positions.
    ///   - dTokenTable: `[V, C]`, accumulated into.
    ///   - dPositionTable: `[T, C]`, accumulated into; nil for a model without learned positions.
    ///   - rowCount: N.
    ///   - channels: C.
    public static func backward(
        dOut: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, positions: UnsafePointer<Int32>,
        dTokenTable: UnsafeMutablePointer<Float>, dPositionTable: UnsafeMutablePointer<Float>?, rowCount: Int,
        channels: Int
    ) {
        ComputePool.shared.forEachRange(channels, minimumPerSlice: 16) { columns in
            for row in 0..<rowCount {
                let gradient = dOut + row * channels
                let token = dTokenTable + Int(tokens[row]) * channels
                for channel in columns { token[channel] += gradient[channel] }
                guard let dPositionTable else { continue }
                let position = dPositionTable + Int(positions[row]) * channels
                for channel in columns { position[channel] += gradient[channel] }
            }
        }
    }
}
