// Picks the next token from a row of logits: greedy, temperature, nucleus (top-p).

import VRTensor

/// Chooses tokens by inverse-CDF sampling from the tempered, optionally truncated, softmax of a logit row.
struct TokenChooser {
    let temperature: Float
    let topP: Float
    let vocabularySize: Int

    /// The chosen token for `logits`, using `uniform` in [0, 1) as the only randomness.
    /// - Parameters:
    ///   - logits: `[V]` raw logits.
    ///   - uniform: a uniform random number.
    ///   - scratch: `[V]` working space.
    /// - Returns: the token id.
    func choose(logits: UnsafePointer<Float>, uniform: Float, scratch: UnsafeMutablePointer<Float>) -> Int32 {
        if temperature == 0 { return argmax(logits) }
        scratch.update(from: logits, count: vocabularySize)
        VectorMath.softmaxInPlace(scratch, count: vocabularySize, scale: 1 / temperature)
        if topP < 1 { return nucleus(probabilities: scratch, uniform: uniform) }
        var remaining = uniform
        for token in 0..<vocabularySize {
            remaining -= scratch[token]
            if remaining < 0 { return Int32(token) }
        }
        return lastPositive(scratch)
    }

    private func argmax(_ logits: UnsafePointer<Float>) -> Int32 {
        var best = 0
        for token in 1..<vocabularySize where logits[token] > logits[best] { best = token }
        return Int32(best)
    }

    /// Samples among the most likely tokens whose cumulative probability first reaches `topP`.
    private func nucleus(probabilities: UnsafeMutablePointer<Float>, uniform: Float) -> Int32 {
        let order = (0..<vocabularySize).sorted {
            probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
        var kept = 0
        var mass: Float = 0
        while kept < order.count, mass < topP {
            mass += probabilities[order[kept]]
            kept += 1
        }
        var remaining = uniform * mass
        for token in order[0..<kept] {
            remaining -= probabilities[token]
            if remaining < 0 { return Int32(token) }
        }
        return Int32(order[kept - 1])
    }

    /// The last token with positive probability, for when rounding leaves the scan short.
    private func lastPositive(_ probabilities: UnsafePointer<Float>) -> Int32 {
        var token = vocabularySize - 1
        while token > 0, probabilities[token] == 0 { token -= 1 }
        return Int32(token)
    }
}
