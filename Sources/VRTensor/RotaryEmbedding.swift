// Rotary position embeddings in the rotate-half layout of Hugging Face checkpoints (Llama, Qwen2, Qwen3).
//
// Legend: D head width, H heads; each head's vector is split into halves a = x[0 ..< D/2], b = x[D/2 ..< D].
//   angle_i(p) = p * base^(-2i / D)
//   y[i] = a_i cos - b_i sin,  y[i + D/2] = b_i cos + a_i sin
// The rotation is orthogonal, so the backward pass rotates the gradient by the negative angle.

#if canImport(Glibc)
    import Glibc
#endif

/// The cosines and sines of every position's angles, and the rotation of query and key heads by them.
public struct RotaryEmbedding: Sendable {
    /// D.
    public let headWidth: Int
    /// The positions the tables cover.
    public let positionCount: Int
    /// `[positionCount, D/2]` cosines and sines.
    private let cosines: [Float]
    private let sines: [Float]

    /// Tabulates the angles as `transformers` computes them: inverse frequencies and angles in float32.
    /// - Parameters:
    ///   - headWidth: D, even.
    ///   - base: the model's `rope_theta`.
    ///   - positionCount: the positions to cover (the context length).
    public init(headWidth: Int, base: Float, positionCount: Int) {
        precondition(headWidth > 0 && headWidth % 2 == 0, "rotary embeddings need an even head width, got \(headWidth)")
        self.headWidth = headWidth
        self.positionCount = positionCount
        let half = headWidth / 2
        let inverseFrequencies = (0..<half).map { 1 / powf(base, Float(2 * $0) / Float(headWidth)) }
        var cosines = [Float](repeating: 0, count: positionCount * half)
        var sines = cosines
        for position in 0..<positionCount {
            for i in 0..<half {
                let angle = Float(position) * inverseFrequencies[i]
                cosines[position * half + i] = cosf(angle)
                sines[position * half + i] = sinf(angle)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Rotates, in place, every head of every row by the row's position (or, with `inverse`, by its negative:
    /// the backward pass).
    /// - Precondition: every position is below `positionCount`.
    /// - Parameters:
    ///   - rows: the first head of row 0; a row's heads are contiguous, `D` floats each.
    ///   - rowCount: the rows.
    ///   - rowStride: floats from one row to the next.
    ///   - headCount: the heads in each row.
    ///   - positions: `[rowCount]` each row's position.
    ///   - inverse: rotate by the negative angles.
    public func rotate(
        _ rows: UnsafeMutablePointer<Float>, rowCount: Int, rowStride: Int, headCount: Int,
        positions: UnsafePointer<Int32>, inverse: Bool = false
    ) {
        let half = headWidth / 2
        let direction: Float = inverse ? -1 : 1
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                for row in 0..<rowCount {
                    let position = Int(positions[row])
                    precondition(position >= 0 && position < positionCount, "position \(position) out of the table")
                    let (cosine, sine) = (
                        cosines.baseAddress.unsafelyUnwrapped + position * half,
                        sines.baseAddress.unsafelyUnwrapped + position * half
                    )
                    for head in 0..<headCount {
                        let x = rows + row * rowStride + head * headWidth
                        for i in 0..<half {
                            let (a, b) = (x[i], x[i + half])
                            let s = direction * sine[i]
                            x[i] = a * cosine[i] - b * s
                            x[i + half] = b * cosine[i] + a * s
                        }
                    }
                }
            }
        }
    }
}
