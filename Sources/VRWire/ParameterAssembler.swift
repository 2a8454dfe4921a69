// Rebuilding a parameter buffer from an announcement and its chunks, checking every step.

/// Collects the chunks of one announced snapshot, in order, and returns the parameters once all arrived.
///
/// Each ``add(_:)`` checks the chunk's version, index (no gap, repeat or reordering), offset, size and
/// CRC-32; ``parameters()`` checks completeness and the whole-buffer CRC-32. A failed call leaves the
/// assembler unchanged; the protocol's answer to an error is to discard it and request a new snapshot.
public struct ParameterAssembler: Sendable {
    /// The snapshot being assembled.
    public let announcement: ParameterAnnouncement
    /// Index of the chunk expected next.
    public private(set) var nextChunkIndex = 0
    private var values: [Float] = []
    private var crc: UInt32 = 0

    /// Starts assembling the snapshot an announcement describes.
    /// - Parameters:
    ///   - announcement: the snapshot's header.
    ///   - limits: bounds on the snapshot's size and chunk size.
    /// - Throws: ``WireError`` if the announcement's sizes are inconsistent or over the limits.
    public init(announcement: ParameterAnnouncement, limits: WireLimits = WireLimits()) throws(WireError) {
        try announcement.validate(WireValidator(limits: limits, vocabularySize: nil))
        self.announcement = announcement
    }

    /// Whether every announced chunk has arrived.
    public var isComplete: Bool { nextChunkIndex == announcement.chunkCount }

    /// Adds the next chunk.
    /// - Parameter chunk: the chunk with index ``nextChunkIndex`` of the announced version.
    /// - Throws: ``WireError`` with `chunkOutOfSequence` (wrong version, gap, repeat, extra chunk),
    ///   `invalidValue` (wrong offset or size) or `badChecksum`.
    public mutating func add(_ chunk: SnapshotChunk) throws(WireError) {
        try checkSequence(chunk)
        let expectedOffset = UInt64(nextChunkIndex) * UInt64(announcement.chunkByteCount)
        guard chunk.offset == expectedOffset else {
            throw WireError(
                .invalidValue, "chunk \(chunk.chunkIndex) has offset \(chunk.offset); expected \(expectedOffset)")
        }
        let expectedByteCount = announcement.byteCount(ofChunk: nextChunkIndex)
        guard chunk.byteCount == expectedByteCount else {
            throw WireError(
                .invalidValue, "chunk \(chunk.chunkIndex) has \(chunk.byteCount) bytes; expected \(expectedByteCount)")
        }
        let actual = CRC32.checksum(chunk.payload)
        guard actual == chunk.crc32 else {
            throw WireError(
                .badChecksum,
                "chunk \(chunk.chunkIndex): CRC-32 is \(CRC32.hex(actual)), the chunk says \(CRC32.hex(chunk.crc32))")
        }
        if values.isEmpty { values.reserveCapacity(announcement.parameterCount) }
        announcement.encoding.decode(chunk.payload, appendingTo: &values)
        crc = CRC32.combine(crc, actual, secondLength: UInt64(chunk.byteCount))
        nextChunkIndex += 1
    }

    /// The assembled parameters.
    /// - Returns: `announcement.parameterCount` values.
    /// - Throws: ``WireError`` with `chunkOutOfSequence` if chunks are missing, `badChecksum` if the
    ///   whole-buffer CRC-32 differs from the announcement's.
    public func parameters() throws(WireError) -> [Float] {
        guard isComplete else {
            throw WireError(
                .chunkOutOfSequence,
                "snapshot \(announcement.parameterVersion) is incomplete: chunks \(nextChunkIndex)..<"
                    + "\(announcement.chunkCount) are missing")
        }
        guard crc == announcement.crc32 else {
            throw WireError(
                .badChecksum,
                "snapshot \(announcement.parameterVersion): CRC-32 of the buffer is \(CRC32.hex(crc)), the announcement "
                    + "says \(CRC32.hex(announcement.crc32))")
        }
        return values
    }

    /// Assembles a whole snapshot at once.
    /// - Parameters:
    ///   - announcement: the snapshot's header.
    ///   - chunks: its chunks, in order.
    ///   - limits: bounds on the snapshot's size.
    /// - Returns: the parameters.
    /// - Throws: ``WireError`` as ``add(_:)`` and ``parameters()`` do.
    public static func assemble(
        announcement: ParameterAnnouncement, chunks: some Sequence<SnapshotChunk>, limits: WireLimits = WireLimits()
    ) throws(WireError) -> [Float] {
        var assembler = try ParameterAssembler(announcement: announcement, limits: limits)
        for chunk in chunks { try assembler.add(chunk) }
        return try assembler.parameters()
    }

    private func checkSequence(_ chunk: SnapshotChunk) throws(WireError) {
        let version = announcement.parameterVersion
        guard chunk.parameterVersion == version else {
            throw WireError(
                .chunkOutOfSequence,
                "chunk \(chunk.chunkIndex) belongs to version \(chunk.parameterVersion), not \(version)")
        }
        guard !isComplete || chunk.chunkIndex < nextChunkIndex else {
            throw WireError(
                .chunkOutOfSequence,
                "chunk \(chunk.chunkIndex) is extra: version \(version) has \(announcement.chunkCount) chunks")
        }
        guard chunk.chunkIndex >= nextChunkIndex else {
            throw WireError(.chunkOutOfSequence, "chunk \(chunk.chunkIndex) is repeated (version \(version))")
        }
        guard chunk.chunkIndex == nextChunkIndex else {
            throw WireError(
                .chunkOutOfSequence,
                "chunk \(chunk.chunkIndex) arrived while chunk \(nextChunkIndex) was expected (version \(version)): "
                    + "a chunk is missing or out of order")
        }
    }
}
