// Deterministic randomness for task generation: SplitMix64 streams keyed by (seed, family, split, index, attempt).

/// A SplitMix64 generator (Steele, Lea, Flood 2014) plus the stable hashes that key its streams.
///
/// Every value is a pure function of its inputs on every platform, so generated datasets and the
/// train/test split rule never change between runs or machines. Changing any constant here changes
/// every generated dataset: treat them as part of the data format.
struct TaskRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose stream is determined by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator keyed by several values, mixed in order.
    init(keys: [UInt64]) {
        state = keys.reduce(0x6A09_E667_F3BC_C908) { Self.mix($0 ^ $1) }
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
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
        finalize(value &+ 0x9E37_79B9_7F4A_7C15)
    }

    /// The SplitMix64 output function.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable 64-bit hash of a string's UTF-8 bytes (FNV-1a, then scrambled).
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return finalize(value)
    }
}
