// Splitting a flat float32 parameter buffer into an announcement and chunks of at most 16 MiB.

/// A parameter buffer cut into ``SnapshotChunk`` frames, with the ``ParameterAnnouncement`` that precedes them.
///
/// Send ``messages`` in order on one socket; a receiver rebuilds the buffer with ``ParameterAssembler``.
public struct ParameterSnapshot: Sendable, Equatable {
    /// Default chunk size, 1 MiB.
    ///
    /// Over loopback TCP, 1 MiB frames moved 2.6-3.6 GB/s against about 1.1 GB/s for one 64 MiB frame
    /// (ARCHITECTURE.md); the protocol allows up to 16 MiB.
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
        precondition(
            chunkByteCount % 4 == 0 && (4...WireLimits.frameBytesCap).contains(chunkByteCount),
            "chunkByteCount \(chunkByteCount) must be a multiple of 4 in 4...\(WireLimits.frameBytesCap)")
        precondition(parameterVersion >= 1, "parameter versions start at 1")
        let floatsPerChunk = chunkByteCount / 4
        var chunks: [SnapshotChunk] = []
        var crc: UInt32 = 0
        for (index, start) in stride(from: 0, to: parameters.count, by: floatsPerChunk).enumerated() {
            let end = min(start + floatsPerChunk, parameters.count)
            let payload = LittleEndianFloats.bytes(of: UnsafeBufferPointer(rebasing: parameters[start..<end]))
            let chunk = SnapshotChunk(
                parameterVersion: parameterVersion, chunkIndex: index, offset: UInt64(start) * 4, payload: payload)
            crc = CRC32.combine(crc, chunk.crc32, secondLength: UInt64(payload.count))
            chunks.append(chunk)
        }
        self.chunks = chunks
        self.announcement = ParameterAnnouncement(
            parameterVersion: parameterVersion, byteCount: UInt64(parameters.count) * 4, chunkCount: chunks.count,
            chunkByteCount: chunkByteCount, crc32: crc, modelConfigurationJSON: modelConfigurationJSON)
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
