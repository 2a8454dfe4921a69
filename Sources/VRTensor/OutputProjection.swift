// The output layer of a language model over a large vocabulary, in blocks of rows: logits of at most
// `blockRowCount(vocabularySize:)` rows exist at once, never batch x context x vocabulary.
//
// Legend: N rows, C channels, V vocabulary, R rows per block.
//   logits = hidden * weight^T  [N, V];  logProb[n] = logits[n, target[n]] - logsumexp(logits[n])
//   loss = -scale * sum_n rowWeight[n] * logProb[n]
// The backward pass computes each block's logits again rather than keeping them, and only for the rows that
// carry a weight: a prompt's rows, weighted 0, cost nothing.

/// Target log-probabilities and the weighted NLL gradient of `hidden * weight^T`, computed block by block.
public enum OutputProjection {
    /// The most logits one block holds (64 MiB of floats).
    public static let maxBlockLogitCount = 1 << 24

    /// Rows per block for a vocabulary of `vocabularySize` tokens (at least one).
    /// - Parameter vocabularySize: V.
    /// - Returns: R.
    public static func blockRowCount(vocabularySize: Int) -> Int { max(1, maxBlockLogitCount / vocabularySize) }

    /// Writes each row's target log-probability; rows whose target is negative get 0.
    /// - Parameters:
    ///   - hidden: `[N, C]` final hidden states.
    ///   - weight: `[V, C]` output weight (the token embedding where they are tied).
    ///   - targets: `[N]` token ids in `0..<V`, or -1.
    ///   - logProbs: `[N]`, written.
    ///   - rowCount: N.
    ///   - channels: C.
    ///   - vocabularySize: V.
    ///   - scratch: `[R, V]` floats for one block's logits.
    public static func logProbabilities(
        hidden: UnsafePointer<Float>, weight: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
        logProbs: UnsafeMutablePointer<Float>, rowCount: Int, channels: Int, vocabularySize: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let blockRows = blockRowCount(vocabularySize: vocabularySize)
        for start in stride(from: 0, to: rowCount, by: blockRows) {
            let rows = min(blockRows, rowCount - start)
            logits(
                hidden: hidden + start * channels, weight: weight, into: scratch, rowCount: rows, channels: channels,
                vocabularySize: vocabularySize)
            SoftmaxCrossEntropy.logProbabilities(
                logits: scratch, targets: targets + start, logProbs: logProbs + start, rowCount: rows,
                vocabularySize: vocabularySize)
        }
    }

    /// Computes the weighted loss and its gradient with respect to `hidden` and `weight`.
    /// - Parameters:
    ///   - hidden: `[N, C]` final hidden states.
    ///   - weight: `[V, C]` output weight.
    ///   - targets: `[N]` token ids, or -1 for rows without a target.
    ///   - rowWeights: `[N]` per-row weights (rows without a target must have weight 0).
    ///   - scale: the factor in front of the sum (1 / C for Dr. SFT).
    ///   - dHidden: `[N, C]`, overwritten (zero for rows without weight).
    ///   - dWeight: `[V, C]`, accumulated into.
    ///   - rowCount: N.
    ///   - channels: C.
    ///   - vocabularySize: V.
    ///   - scratch: `[R, V]` floats for one block's logits.
    /// - Returns: the loss, summed in double precision.
    @discardableResult
    public static func lossAndGradient(
        hidden: UnsafePointer<Float>, weight: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
        rowWeights: UnsafePointer<Float>, scale: Float, dHidden: UnsafeMutablePointer<Float>,
        dWeight: UnsafeMutablePointer<Float>, rowCount: Int, channels: Int, vocabularySize: Int,
        scratch: UnsafeMutablePointer<Float>
    ) -> Double {
        dHidden.update(repeating: 0, count: rowCount * channels)
        let weighted = (0..<rowCount).filter { rowWeights[$0] != 0 && targets[$0] >= 0 }
        guard !weighted.isEmpty else { return 0 }
        let blockRows = blockRowCount(vocabularySize: vocabularySize)
        let gathered = FloatBuffer(count: min(blockRows, weighted.count) * channels)
        let dGathered = FloatBuffer(count: gathered.count)
        let blockTargets = TokenBuffer([Int32](repeating: -1, count: min(blockRows, weighted.count)))
        let blockWeights = FloatBuffer(count: blockTargets.count)
        let blockLogProbs = FloatBuffer(count: blockTargets.count)
        var loss: Double = 0
        for start in stride(from: 0, to: weighted.count, by: blockRows) {
            let block = weighted[start..<min(start + blockRows, weighted.count)]
            for (index, row) in block.enumerated() {
                (gathered.pointer + index * channels).update(from: hidden + row * channels, count: channels)
                blockTargets.pointer[index] = targets[row]
                blockWeights.pointer[index] = rowWeights[row]
            }
            let rows = block.count
            logits(
                hidden: gathered.pointer, weight: weight, into: scratch, rowCount: rows, channels: channels,
                vocabularySize: vocabularySize)
            loss += SoftmaxCrossEntropy.lossAndGradient(
                logits: scratch, targets: blockTargets.pointer, weights: blockWeights.pointer, scale: scale,
                logProbs: blockLogProbs.pointer, rowCount: rows, vocabularySize: vocabularySize)
            Gemm.multiply(
                m: rows, n: channels, k: vocabularySize, a: MatrixOperand(scratch, leadingDimension: vocabularySize),
                b: MatrixOperand(weight, leadingDimension: channels), c: dGathered.pointer, ldc: channels)
            Gemm.multiply(
                m: vocabularySize, n: channels, k: rows,
                a: MatrixOperand(scratch, leadingDimension: vocabularySize, transposed: true),
                b: MatrixOperand(gathered.pointer, leadingDimension: channels), c: dWeight, ldc: channels, beta: 1)
            for (index, row) in block.enumerated() {
                (dHidden + row * channels).update(from: dGathered.pointer + index * channels, count: channels)
            }
        }
        return loss
    }

    /// `logits = hidden * weight^T` for `rowCount` rows.
    private static func logits(
        hidden: UnsafePointer<Float>, weight: UnsafePointer<Float>, into logits: UnsafeMutablePointer<Float>,
        rowCount: Int, channels: Int, vocabularySize: Int
    ) {
        Gemm.multiply(
            m: rowCount, n: vocabularySize, k: channels, a: MatrixOperand(hidden, leadingDimension: channels),
            b: MatrixOperand(weight, leadingDimension: channels, transposed: true), c: logits, ldc: vocabularySize)
    }
}
