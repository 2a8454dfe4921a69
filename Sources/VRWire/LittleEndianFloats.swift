// Float32 parameters to and from their little-endian byte layout on the wire.

/// Conversions between float32 values and the protocol's little-endian byte frames.
enum LittleEndianFloats {
    /// The little-endian bytes of `values`.
    static func bytes(of values: UnsafeBufferPointer<Float>) -> [UInt8] {
        #if _endian(little)
            return Array(UnsafeRawBufferPointer(values))
        #else
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 4)
            for value in values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            return bytes
        #endif
    }

    /// Appends the float32 values encoded little-endian in `bytes` to `values`.
    /// - Precondition: `bytes.count` is a multiple of 4.
    static func append(_ bytes: [UInt8], to values: inout [Float]) {
        precondition(bytes.count % 4 == 0, "\(bytes.count) bytes is not a whole number of float32 values")
        bytes.withUnsafeBytes { raw in
            values.append(
                contentsOf: (0..<(raw.count / 4)).lazy.map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                })
        }
    }
}
