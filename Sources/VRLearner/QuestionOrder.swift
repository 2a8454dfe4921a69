// The order in which training questions are handed out: a seeded shuffle per epoch, resumable by position.

/// An endless sequence of question ids: every epoch is a fresh permutation of the dataset, seeded.
public struct QuestionOrder: Sendable {
    private let ids: [String]
    private let seed: UInt64

    /// Creates the order.
    /// - Parameters:
    ///   - ids: the training question ids (at least one).
    ///   - seed: the shuffle seed.
    public init(ids: [String], seed: UInt64) {
        precondition(!ids.isEmpty, "a question order needs questions")
        self.ids = ids
        self.seed = seed
    }

    /// The ids at positions `start ..< start + count` of the endless order.
    /// - Parameters:
    ///   - start: the first position (positions count across epochs).
    ///   - count: how many.
    /// - Returns: the ids.
    public func ids(from start: Int, count: Int) -> [String] {
        var result: [String] = []
        var epochCache: (epoch: Int, ids: [String])?
        for position in start..<(start + count) {
            let epoch = position / ids.count
            if epochCache?.epoch != epoch { epochCache = (epoch, permutation(epoch: epoch)) }
            result.append(epochCache?.ids[position % ids.count] ?? ids[position % ids.count])
        }
        return result
    }

    /// The permutation of one epoch: a Fisher-Yates shuffle driven by SplitMix64 of (seed, epoch).
    private func permutation(epoch: Int) -> [String] {
        var state = seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var shuffled = ids
        for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
            shuffled.swapAt(index, Int(next() % UInt64(index + 1)))
        }
        return shuffled
    }
}
