// Which examples go into each step: seeded shuffles of the data set, one per epoch, cut into batches.

import VRCore

/// The example indices of every step: the data set is shuffled once per epoch and read in order.
///
/// Position `p = step * batchSize + i` of the endless stream is example `order(epoch)[p % count]` with
/// `epoch = p / count`, where each epoch's order is a Fisher-Yates shuffle seeded by `seed` and the epoch.
/// The batch of a step depends only on the seed and the step, so a resumed run sees the same data.
public struct BatchSampler: Sendable {
    /// Number of examples in the data set.
    public let exampleCount: Int
    /// Indices per batch.
    public let batchSize: Int
    /// The seed of the shuffles.
    public let seed: UInt64
    /// The epoch whose order is cached, and that order.
    private var cached: (epoch: Int, order: [Int])?

    /// Creates a sampler.
    /// - Precondition: `exampleCount >= 1`, `batchSize >= 1`.
    /// - Parameters:
    ///   - exampleCount: number of examples.
    ///   - batchSize: indices per batch.
    ///   - seed: the seed of the shuffles.
    public init(exampleCount: Int, batchSize: Int, seed: UInt64) {
        precondition(exampleCount >= 1 && batchSize >= 1, "need examples and a positive batch size")
        self.exampleCount = exampleCount
        self.batchSize = batchSize
        self.seed = seed
    }

    /// The example indices of step `step`.
    /// - Parameter step: the 0-based step.
    /// - Returns: `batchSize` indices in `0..<exampleCount` (a batch may span two epochs).
    public mutating func batch(at step: Int) -> [Int] {
        (0..<batchSize).map { offset in
            let position = step * batchSize + offset
            return order(ofEpoch: position / exampleCount)[position % exampleCount]
        }
    }

    /// The shuffled order of one epoch.
    /// - Parameter epoch: the 0-based epoch.
    /// - Returns: a permutation of `0..<exampleCount`.
    public mutating func order(ofEpoch epoch: Int) -> [Int] {
        if let cached, cached.epoch == epoch { return cached.order }
        var generator = SeededGenerator(seed: seed).split(UInt64(epoch))
        var order = Array(0..<exampleCount)
        // Fisher-Yates with our own draws, so the order does not depend on the standard library's shuffle.
        for last in stride(from: exampleCount - 1, to: 0, by: -1) {
            order.swapAt(last, Int(generator.next() % UInt64(last + 1)))
        }
        cached = (epoch, order)
        return order
    }
}
