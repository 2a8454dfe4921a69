// How a parameter snapshot's bytes hold the values (parameters.proto `ParameterEncoding`).

/// The byte layout of a parameter snapshot.
///
/// The models compute in float32 either way; `bfloat16` halves the bytes a broadcast moves by keeping the top 16
/// bits of each value, rounded to nearest (ties to even), and receivers widen them back to float32.
public enum ParameterEncoding: String, Sendable, Equatable, CaseIterable, Codable {
    /// Little-endian IEEE-754 float32, 4 bytes per parameter: the values exactly.
    case float32
    /// Little-endian bfloat16, 2 bytes per parameter: float32's exponent with an 8-bit significand, a relative
    /// rounding error of at most 2^-8.
    case bfloat16

    /// Bytes per parameter.
    public var bytesPerParameter: Int {
        switch self {
        case .float32: 4
        case .bfloat16: 2
        }
    }

    /// Appends `values` in this layout to `bytes`.
    /// - Parameters:
    ///   - values: the parameters.
    ///   - bytes: the buffer to extend.
    public func append(_ values: UnsafeBufferPointer<Float>, to bytes: inout [UInt8]) {
        switch self {
        case .float32:
            #if _endian(little)
                bytes.append(contentsOf: UnsafeRawBufferPointer(values))
            #else
                bytes += LittleEndianFloats.bytes(of: values)
            #endif
        case .bfloat16:
            let start = bytes.count
            bytes += repeatElement(0, count: values.count * 2)
            bytes.withUnsafeMutableBytes { raw in
                for (index, value) in values.enumerated() {
                    raw.storeBytes(
                        of: Self.bfloat16(value).littleEndian, toByteOffset: start + 2 * index, as: UInt16.self)
                }
            }
        }
    }

    /// Appends the values `bytes` holds in this layout to `values`.
    /// - Precondition: `bytes.count` is a multiple of `bytesPerParameter`.
    /// - Parameters:
    ///   - bytes: the encoded parameters.
    ///   - values: the buffer to extend.
    public func decode(_ bytes: [UInt8], appendingTo values: inout [Float]) {
        switch self {
        case .float32:
            LittleEndianFloats.append(bytes, to: &values)
        case .bfloat16:
            precondition(bytes.count % 2 == 0, "\(bytes.count) bytes is not a whole number of bfloat16 values")
            let start = values.count
            values += repeatElement(0, count: bytes.count / 2)
            bytes.withUnsafeBytes { raw in
                values.withUnsafeMutableBufferPointer { output in
                    for index in 0..<(raw.count / 2) {
                        let half = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                        output[start + index] = Float(bitPattern: UInt32(half) << 16)
                    }
                }
            }
        }
    }

    /// The bfloat16 bits nearest to `value` (ties to even); a NaN stays a NaN.
    /// - Parameter value: a float32 value.
    /// - Returns: the top 16 bits of the rounded value.
    public static func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let roundingBias = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }
}
