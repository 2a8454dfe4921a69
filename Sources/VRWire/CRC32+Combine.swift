// Combining CRC-32s of consecutive blocks without re-reading the bytes (zlib's crc32_combine).

extension CRC32 {
    /// The CRC-32 of the concatenation `a + b`, from the checksums of `a` and `b` and the length of `b`.
    ///
    /// Lets a receiver check a whole parameter buffer from its verified chunk checksums in
    /// O(log length) instead of a second pass over the bytes.
    /// ```
    /// crc(a + b) = crc(a) * x^(8 |b|) + crc(b)    over GF(2), modulo the CRC polynomial
    /// ```
    /// - Parameters:
    ///   - first: the CRC-32 of the first block `a`.
    ///   - second: the CRC-32 of the second block `b`.
    ///   - secondLength: the length of `b` in bytes.
    /// - Returns: the CRC-32 of `a` followed by `b`.
    public static func combine(_ first: UInt32, _ second: UInt32, secondLength: UInt64) -> UInt32 {
        guard secondLength > 0 else { return first }
        // Operator for one zero bit, then square it to get operators for 2, 4, 8, ... zero bits.
        var odd = [UInt32](repeating: 0, count: 32)
        odd[0] = 0xEDB8_8320
        for n in 1..<32 { odd[n] = 1 << (n - 1) }
        var even = gf2Square(odd)  // two zero bits
        odd = gf2Square(even)  // four zero bits
        var crc = first
        var length = secondLength
        repeat {
            // Apply zeros for each set bit of the length in bytes (first pass: one byte = 8 bits).
            even = gf2Square(odd)
            if length & 1 == 1 { crc = gf2Times(even, crc) }
            length >>= 1
            guard length > 0 else { break }
            odd = gf2Square(even)
            if length & 1 == 1 { crc = gf2Times(odd, crc) }
            length >>= 1
        } while length > 0
        return crc ^ second
    }

    private static func gf2Times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
        var sum: UInt32 = 0
        var vector = vector
        var row = 0
        while vector != 0 {
            if vector & 1 == 1 { sum ^= matrix[row] }
            vector >>= 1
            row += 1
        }
        return sum
    }

    private static func gf2Square(_ matrix: [UInt32]) -> [UInt32] {
        (0..<32).map { gf2Times(matrix, matrix[$0]) }
    }
}
