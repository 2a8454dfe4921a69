// Splitting a flat float32 parameter buffer into an announcement and chunks of at most 16 MiB.

/// A parameter buffer cut into ``SnapshotChunk`` frames, with the ``ParameterAnnouncement`` that precedes them.
///
/// Send ``messages`` in order on one socket; a receiver rebuilds the buffer with ``ParameterAssembler``.
public struct ParameterSnapshot: Sendable, Equatable {
    /// Default chunk size, 1 MiB.
    ///
    /// Over loopback TCP, 1 MiB frames moved 2.6-3.6 GB/s against about 1.1 GB/s for one 64 MiB frame
    /// (docs/protocol.md); the protocol allows up to 16 MiB.
    public static let defaultChunkByteCount = 1 << 20

    /// The header: version, sizes, whole-buffer CRC-32, model configuration.
    public var announcement: ParameterAnnouncement
    /// The chunks in order, each at most `announcement.chunkByteCount` bytes.
    public var chunks: [SnapshotChunk]

    /// Splits a parameter buffer into chunks.
    /// - Precondition: `chunkByteCount` is a multiple of 4 in `4...WireLimits.frameBytesCap`;
    ///   `parameterVersion >= 1`.
    /// - Parameters:
    ///   - parameters: the flat parameter buffer.
    ///   - parameterVersion: the version being published, at least 1.
    ///   - modelConfigurationJSON: the model configuration as JSON.
    ///   - chunkByteCount: the size of every chunk but the last, in bytes.
    /// - Complexity: one copy and one CRC-32 pass over the buffer.
    public init(
        parameters: UnsafeBufferPointer<Float>, parameterVersion: UInt64, modelConfigurationJSON: String,
        chunkByteCount: Int = Self.defaultChunkByteCount
    ) {
        var chunks: [SnapshotChunk] = []
        announcement = Self.cut(
            [parameters], parameterVersion: parameterVersion, modelConfigurationJSON: modelConfigurationJSON,
            chunkByteCount: chunkByteCount
        ) { chunks.append($0) }
        self.chunks = chunks
    }

    /// Cuts buffers, read as one buffer in order, into chunks handed to `body` one at a time, so that a caller that
    /// encodes each chunk and drops it never holds a second copy of the whole buffer.
    /// - Precondition: `chunkByteCount` is a multiple of 4 in `4...WireLimits.frameBytesCap`;
    ///   `parameterVersion >= 1`.
    /// - Parameters:
    ///   - segments: the buffers (e.g. each model's parameters), concatenated in this order.
    ///   - parameterVersion: the version being published, at least 1.
    ///   - modelConfigurationJSON: the model configuration as JSON.
    ///   - chunkByteCount: the size of every chunk but the last, in bytes.
    ///   - encoding: how the chunks hold the values.
    ///   - body: receives the chunks in order.
    /// - Returns: the announcement that goes before the chunks.
    /// - Complexity: one copy and one CRC-32 pass over the buffers.
    public static func cut(
        _ segments: [UnsafeBufferPointer<Float>], parameterVersion: UInt64, modelConfigurationJSON: String,
        chunkByteCount: Int = Self.defaultChunkByteCount, encoding: ParameterEncoding = .float32,
        into body: (SnapshotChunk) throws -> Void
    ) rethrows -> ParameterAnnouncement {
        precondition(
            chunkByteCount % 4 == 0 && (4...WireLimits.frameBytesCap).contains(chunkByteCount),
            "chunkByteCount \(chunkByteCount) must be a multiple of 4 in 4...\(WireLimits.frameBytesCap)")
        precondition(parameterVersion >= 1, "parameter versions start at 1")
        let width = encoding.bytesPerParameter
        let valuesPerChunk = chunkByteCount / width
        let totalCount = segments.reduce(0) { $0 + $1.count }
        var crc: UInt32 = 0
        var chunkCount = 0
        var segment = 0
        var offsetInSegment = 0
        for start in stride(from: 0, to: totalCount, by: valuesPerChunk) {
            var payload: [UInt8] = []
            payload.reserveCapacity(min(valuesPerChunk, totalCount - start) * width)
            while payload.count < chunkByteCount && segment < segments.count {
                let available = segments[segment].count - offsetInSegment
                let taken = min(available, valuesPerChunk - payload.count / width)
                let end = offsetInSegment + taken
                encoding.append(UnsafeBufferPointer(rebasing: segments[segment][offsetInSegment..<end]), to: &payload)
                offsetInSegment = end
                if offsetInSegment == segments[segment].count {
                    segment += 1
                    offsetInSegment = 0
                }
            }
            let chunk = SnapshotChunk(
                parameterVersion: parameterVersion, chunkIndex: chunkCount, offset: UInt64(start * width),
                payload: payload)
            crc = CRC32.combine(crc, chunk.crc32, secondLength: UInt64(payload.count))
            chunkCount += 1
            try body(chunk)
        }
        return ParameterAnnouncement(
            parameterVersion: parameterVersion, byteCount: UInt64(totalCount * width), chunkCount: chunkCount,
            chunkByteCount: chunkByteCount, crc32: crc, modelConfigurationJSON: modelConfigurationJSON,
            encoding: encoding)
    }

    /// Splits a parameter array into chunks.
    /// - Precondition: as for ``init(parameters:parameterVersion:modelConfigurationJSON:chunkByteCount:)``.
    /// - Parameters:
    ///   - parameters: the flat parameter buffer.
    ///   - parameterVersion: the version being published, at least 1.
    ///   - modelConfigurationJSON: the model configuration as JSON.
    ///   - chunkByteCount: the size of every chunk but the last, in bytes.
    public init(
        parameters: [Float], parameterVersion: UInt64, modelConfigurationJSON: String,
        chunkByteCount: Int = Self.defaultChunkByteCount
    ) {
        self = parameters.withUnsafeBufferPointer {
            ParameterSnapshot(
                parameters: $0, parameterVersion: parameterVersion, modelConfigurationJSON: modelConfigurationJSON,
                chunkByteCount: chunkByteCount)
        }
    }

    /// The messages to send, in order: the announcement, then every chunk.
    public var messages: [WireMessage] {
        [.parameterAnnouncement(announcement)] + chunks.map { .snapshotChunk($0) }
    }
}
