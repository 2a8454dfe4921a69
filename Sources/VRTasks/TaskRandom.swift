// Deterministic randomness for task generation: SplitMix64 streams keyed by (seed, family, split, index, attempt).

import VRCore

/// A SplitMix64 generator (`SeededGenerator`) keyed by several values, plus the stable hashes that key its streams.
///
/// Every value is a pure function of its inputs on every platform, so generated datasets and the
/// train/test split rule never change between runs or machines. Changing any constant here changes
/// every generated dataset: treat them as part of the data format.
struct TaskRandom: RandomNumberGenerator, Sendable {
    private var generator: SeededGenerator

    /// Creates a generator whose stream is determined by `seed`.
    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// A generator keyed by several values, mixed in order.
    init(keys: [UInt64]) {
        self.init(seed: keys.reduce(0x6A09_E667_F3BC_C908) { Self.mix($0 ^ $1) })
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        generator.next()
    }

    /// A uniform integer in `range` (modulo bias is below 2^-40 for the small ranges used here).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// A uniformly chosen element of a non-empty array.
    mutating func element<T>(of array: [T]) -> T {
        precondition(!array.isEmpty, "cannot choose from an empty array")
        return array[int(in: 0...(array.count - 1))]
    }

    /// One SplitMix64 step: advance `value` and scramble it.
    static func mix(_ value: UInt64) -> UInt64 {
        SeededGenerator.scramble(value &+ SeededGenerator.increment)
    }

    /// A stable 64-bit hash of a string's UTF-8 bytes (FNV-1a, then scrambled).
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return SeededGenerator.scramble(value)
    }
}
