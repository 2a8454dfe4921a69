// L -> W: one chunk of a parameter snapshot: a small header plus a raw frame (parameters.proto `SnapshotChunk`).

/// A piece of a parameter buffer: raw little-endian float32 bytes with their position and CRC-32.
///
/// On the wire the header travels in the envelope and ``payload`` in the next frame, never as a
/// protobuf field, so a receiver can hand the frame to its parameter buffer without re-encoding.
public struct SnapshotChunk: Sendable, Equatable {
    /// The version the chunk belongs to; equals the announcement's.
    public var parameterVersion: UInt64
    /// The chunk's position, 0-based.
    public var chunkIndex: Int
    /// Byte offset of the chunk in the whole buffer: `chunkIndex * chunkByteCount`.
    public var offset: UInt64
    /// CRC-32 of ``payload``.
    public var crc32: UInt32
    /// The raw bytes: little-endian values in the announcement's encoding, a whole number of them, at most 16 MiB.
    public var payload: [UInt8]

    /// Creates a chunk.
    /// - Parameters:
    ///   - parameterVersion: the version the chunk belongs to.
    ///   - chunkIndex: the chunk's position, 0-based.
    ///   - offset: byte offset of the chunk in the whole buffer.
    ///   - payload: the raw little-endian float32 bytes.
    ///   - crc32: CRC-32 of the payload; nil computes it.
    public init(parameterVersion: UInt64, chunkIndex: Int, offset: UInt64, payload: [UInt8], crc32: UInt32? = nil) {
        self.parameterVersion = parameterVersion
        self.chunkIndex = chunkIndex
        self.offset = offset
        self.payload = payload
        self.crc32 = crc32 ?? CRC32.checksum(payload)
    }

    /// Size of the payload in bytes.
    public var byteCount: Int { payload.count }
}

// MARK: - Wire conversion

extension SnapshotChunk {
    /// Converts a header and its payload frame, checking sizes and the checksum.
    init(wire: Vr_V1_SnapshotChunk, payload: [UInt8], validator: WireValidator) throws(WireError) {
        guard UInt64(wire.byteCount) == UInt64(payload.count) else {
            throw WireError(
                .malformedFrame,
                "SnapshotChunk \(wire.chunkIndex): header byte_count \(wire.byteCount) but the payload frame has "
                    + "\(payload.count) bytes")
        }
        // The announcement fixes each chunk's exact size; here only the smallest value width (bfloat16) is known.
        guard payload.count % 2 == 0 else {
            throw WireError(
                .invalidValue, "SnapshotChunk \(wire.chunkIndex): \(payload.count) bytes is not a multiple of 2")
        }
        let actual = CRC32.checksum(payload)
        guard actual == wire.crc32 else {
            throw WireError(
                .badChecksum,
                "SnapshotChunk \(wire.chunkIndex): CRC-32 of the payload is \(CRC32.hex(actual)), header says \(CRC32.hex(wire.crc32))"
            )
        }
        self.init(
            parameterVersion: try validator.nonZero(wire.parameterVersion, "SnapshotChunk.parameter_version"),
            chunkIndex: Int(wire.chunkIndex), offset: wire.offset, payload: payload, crc32: actual)
    }

    var wire: Vr_V1_SnapshotChunk {
        var wire = Vr_V1_SnapshotChunk()
        wire.parameterVersion = parameterVersion
        wire.chunkIndex = UInt32(clamping: chunkIndex)
        wire.offset = offset
        wire.byteCount = UInt32(clamping: payload.count)
        wire.crc32 = crc32
        return wire
    }
}
