// A small, fast, seeded random number generator (SplitMix64) with float helpers.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A deterministic random number generator: SplitMix64 (Steele, Lea, Flood 2014).
///
/// The same seed gives the same stream on every platform; streams for independent uses are derived
/// with `split(_:)`, so adding a consumer never shifts the numbers another consumer sees.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose stream is determined by `seed`.
    /// - Parameter seed: any value; equal seeds give equal streams.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.scramble(state)
    }

    /// The constant each step adds to the state (2^64 divided by the golden ratio).
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The SplitMix64 output function: a bijective scramble of 64 bits.
    /// - Parameter value: any 64 bits.
    /// - Returns: the scrambled bits.
    public static func scramble(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for an independent stream, keyed by `stream`, that leaves this one untouched.
    /// - Parameter stream: an identifier of the consumer (a row index, a layer, a purpose).
    /// - Returns: the new generator.
    public func split(_ stream: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: state ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }

    /// The seed of the independent stream keyed by `stream`: a hash of this generator's state and `stream`.
    ///
    /// Derive seeds this way, never by adding offsets: with `seed + 1` for one purpose and `seed + 2` for
    /// another, the work seeded `seed + 1` draws the second purpose's numbers of the work seeded `seed`.
    /// - Parameter stream: an identifier of the consumer (an assignment, a purpose, a chunk).
    /// - Returns: the seed.
    public func seed(forStream stream: UInt64) -> UInt64 {
        var generator = split(stream)
        return generator.next()
    }

    /// A uniform value in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal value (Box-Muller transform).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * log(1.0 - u1)).squareRoot()
        return Float(radius * cos(2.0 * Double.pi * u2))
    }

    /// Fills `buffer` with normal values of the given standard deviation.
    /// - Parameters:
    ///   - buffer: the destination.
    ///   - standardDeviation: the scale of the values.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, standardDeviation: Float) {
        for index in buffer.indices { buffer[index] = nextNormal() * standardDeviation }
    }
}
