// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and PNG), table-driven, slicing by 8.
// References: zlib crc32.c (slicing and crc32_combine), "Painless guide to CRC error detection" (Williams).

/// A running CRC-32 checksum, as computed by zlib's `crc32()`.
///
/// ```
/// var crc = CRC32()
/// crc.update(bytes)       // any number of times
/// crc.value               // CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926
/// ```
public struct CRC32: Sendable, Equatable {
    /// The checksum of all bytes passed to ``update(_:)`` so far (0 for none).
    public private(set) var value: UInt32 = 0

    /// Creates a checksum of no bytes.
    public init() {}

    /// Adds bytes to the checksum.
    /// - Parameter bytes: the next bytes of the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = Self.update(value, bytes)
    }

    /// Adds bytes to the checksum.
    /// - Parameter bytes: the next bytes of the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The checksum of `bytes`.
    /// - Parameter bytes: a whole message.
    /// - Returns: its CRC-32.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// The checksum of `bytes`.
    /// - Parameter bytes: a whole message.
    /// - Returns: its CRC-32.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// A checksum as `0x` and eight hex digits, for error messages.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: - Table-driven update

    /// Eight 256-entry tables: `tables[0]` is the classic byte table; `tables[k][b]` is the CRC of byte
    /// `b` followed by `k` zero bytes, which lets the loop consume 8 bytes per step (zlib's "braiding").
    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[0][byte] = crc
        }
        for byte in 0..<256 {
            for k in 1..<8 {
                let previous = tables[k - 1][byte]
                tables[k][byte] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    private static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = ~crc
        let count = bytes.count
        var index = 0
        Self.tables.withUnsafeBufferPointer { tables in
            let (t0, t1, t2, t3) = (tables[0], tables[1], tables[2], tables[3])
            let (t4, t5, t6, t7) = (tables[4], tables[5], tables[6], tables[7])
            while index + 8 <= count {
                let low = crc ^ UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc =
                    t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)]
                    ^ t4[Int(low >> 24)] ^ t3[Int(high & 0xFF)] ^ t2[Int((high >> 8) & 0xFF)]
                    ^ t1[Int((high >> 16) & 0xFF)] ^ t0[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
                index += 1
            }
        }
        return ~crc
    }
}
