// The order in which training questions are handed out: a seeded shuffle per epoch, resumable by position.

import VRCore

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
        var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* SeededGenerator.increment)
        var shuffled = ids
        for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
            shuffled.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return shuffled
    }
}
