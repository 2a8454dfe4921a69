// CRC-32 against published check values, a bitwise reference, and the combine identity.

import Testing
import VRCore
import VRWire

@Suite("CRC32")
struct CRC32Tests {
    /// The textbook bit-at-a-time CRC-32, as the reference.
    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test(
        "published check values",
        arguments: [
            ("123456789", UInt32(0xCBF4_3926)), ("", 0), ("a", 0xE8B7_BE43),
            ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
        ])
    func knownValues(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test("slicing-by-8 matches the bitwise reference for every length and alignment up to 100")
    func matchesBitwise() {
        var generator = SeededGenerator(seed: 1)
        let bytes = (0..<108).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<8 {
            for length in 0...100 {
                let slice = Array(bytes[start..<(start + length)])
                #expect(CRC32.checksum(slice) == bitwise(slice))
            }
        }
    }

    @Test("incremental updates equal one checksum over the concatenation")
    func incremental() {
        let text = Array("123456789".utf8)
        var crc = CRC32()
        crc.update(Array(text[0..<4]))
        crc.update(Array(text[4...]))
        #expect(crc.value == 0xCBF4_3926)
    }

    @Test("combine(crc(a), crc(b), |b|) == crc(a + b)")
    func combine() {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<50 {
            let a = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let b = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let combined = CRC32.combine(CRC32.checksum(a), CRC32.checksum(b), secondLength: UInt64(b.count))
            #expect(combined == CRC32.checksum(a + b))
        }
    }
}
