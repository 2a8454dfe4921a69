// The small header frame in front of every message of the broadcast benchmark: probe, announcement or chunk.

/// The first frame of every broadcast-benchmark message, in the shape of the protocol's snapshot messages.
///
/// The benchmark mirrors `ParameterSnapshot` on the wire: one announcement message, then one message per
/// chunk made of this header and the raw payload frame. The header is a fixed 25-byte little-endian record
/// rather than a protobuf envelope because the benchmark measures the transport, not the codec, and
/// both paths must send identical bytes.
///
/// ```
/// probe:        kind 'P'
/// announcement: kind 'A', parameterVersion u64, byteCount u64, chunkCount u32, chunkByteCount u32
/// chunk:        kind 'C', parameterVersion u64, chunkIndex u32, offset u64, byteCount u32
/// ```
enum BroadcastFrameHeader: Equatable {
    /// A message sent before timing starts, until every subscriber has received one (slow joiners).
    case probe
    /// The snapshot header; `chunkCount` chunk messages follow.
    case announcement(parameterVersion: UInt64, byteCount: UInt64, chunkCount: Int, chunkByteCount: Int)
    /// One chunk's position; the payload frame follows in the same message.
    case chunk(parameterVersion: UInt64, chunkIndex: Int, offset: UInt64, byteCount: Int)

    private static let probeKind = UInt8(ascii: "P")
    private static let announcementKind = UInt8(ascii: "A")
    private static let chunkKind = UInt8(ascii: "C")
    /// Bytes of an announcement or chunk header: the kind plus 8 + 8 + 4 + 4 or 8 + 4 + 8 + 4.
    private static let recordByteCount = 25

    /// The encoded header.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.recordByteCount)
        switch self {
        case .probe:
            bytes.append(Self.probeKind)
        case .announcement(let parameterVersion, let byteCount, let chunkCount, let chunkByteCount):
            bytes.append(Self.announcementKind)
            Self.append(parameterVersion, to: &bytes)
            Self.append(byteCount, to: &bytes)
            Self.append(UInt32(clamping: chunkCount), to: &bytes)
            Self.append(UInt32(clamping: chunkByteCount), to: &bytes)
        case .chunk(let parameterVersion, let chunkIndex, let offset, let byteCount):
            bytes.append(Self.chunkKind)
            Self.append(parameterVersion, to: &bytes)
            Self.append(UInt32(clamping: chunkIndex), to: &bytes)
            Self.append(offset, to: &bytes)
            Self.append(UInt32(clamping: byteCount), to: &bytes)
        }
        return bytes
    }

    /// Decodes a header frame; nil when the bytes are not one of the three records.
    /// - Parameter bytes: the first frame of a received message (may be unaligned).
    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard let kind = bytes.first else { return nil }
        if kind == Self.probeKind, bytes.count == 1 {
            self = .probe
            return
        }
        guard bytes.count == Self.recordByteCount else { return nil }
        let version = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        switch kind {
        case Self.announcementKind:
            self = .announcement(
                parameterVersion: version,
                byteCount: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self)),
                chunkCount: Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 17, as: UInt32.self))),
                chunkByteCount: Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 21, as: UInt32.self))))
        case Self.chunkKind:
            self = .chunk(
                parameterVersion: version,
                chunkIndex: Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt32.self))),
                offset: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 13, as: UInt64.self)),
                byteCount: Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 21, as: UInt32.self))))
        default:
            return nil
        }
    }

    private static func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
