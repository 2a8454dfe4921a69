// What one subscriber received of one broadcast, and the byte-for-byte check against what was sent.

import VRTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Read access to a received frame, whichever path received it.
protocol BroadcastReceivedFrame: Sendable {
    /// The number of bytes.
    var count: Int { get }
    /// Calls `body` with the bytes (possibly unaligned); the pointer must not escape.
    func withReceivedBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
}

extension Frame: BroadcastReceivedFrame {
    func withReceivedBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(body)
    }
}

/// The messages one subscriber received of one broadcast, kept (not copied) until the run is timed.
///
/// Receivers only sort messages while the clock runs; the bytes are compared with the payload afterwards,
/// so that the check costs neither path any time.
struct BroadcastReception<Received: BroadcastReceivedFrame>: Sendable {
    /// How far a reception is after a message.
    enum Progress: Equatable {
        /// The message was a probe; ignore it.
        case probe
        /// More chunks are due.
        case pending
        /// The announcement and every chunk it announced have arrived.
        case complete
    }

    private struct Chunk {
        let index: Int
        let offset: UInt64
        let announcedByteCount: Int
        let payload: Received
    }

    /// The version of the broadcast being received.
    let parameterVersion: UInt64
    /// The subscriber's name in error messages, such as `transport subscriber 2`.
    let subscriberName: String
    private var announcedChunkCount: Int?
    private var announcedByteCount: UInt64 = 0
    private var chunks: [Chunk] = []

    /// Starts an empty reception.
    /// - Parameters:
    ///   - parameterVersion: the version the broadcast's headers carry.
    ///   - subscriberName: the name used in errors.
    init(parameterVersion: UInt64, subscriberName: String) {
        self.parameterVersion = parameterVersion
        self.subscriberName = subscriberName
    }

    /// Files one received message.
    /// - Parameter frames: the message's frames, header first.
    /// - Returns: what the message was, and whether the broadcast is now complete.
    /// - Throws: `BroadcastError` for a message that is not part of this broadcast.
    mutating func accept(_ frames: [Received]) throws(BroadcastError) -> Progress {
        let header = frames.first?.withReceivedBytes { BroadcastFrameHeader(decoding: $0) }
        switch header {
        case .probe:
            return .probe
        case .announcement(let version, let byteCount, let chunkCount, _) where version == parameterVersion:
            announcedChunkCount = chunkCount
            announcedByteCount = byteCount
        case .chunk(let version, let index, let offset, let byteCount) where version == parameterVersion:
            guard frames.count == 2 else {
                throw BroadcastError("\(subscriberName): chunk \(index) came as \(frames.count) frames, expected 2")
            }
            chunks.append(Chunk(index: index, offset: offset, announcedByteCount: byteCount, payload: frames[1]))
        default:
            throw BroadcastError(
                "\(subscriberName): a message of \(frames.count) frames is not part of version \(parameterVersion)")
        }
        return announcedChunkCount == chunks.count ? .complete : .pending
    }

    /// The number of payload bytes received so far.
    var receivedByteCount: Int {
        chunks.reduce(0) { $0 + $1.payload.count }
    }

    /// Checks that every chunk arrived once, in order, at its offset, with exactly the bytes that were sent.
    /// - Parameter payload: what was broadcast.
    /// - Throws: `BroadcastError` naming the first chunk that differs.
    func verify(against payload: BroadcastPayload) throws(BroadcastError) {
        guard announcedChunkCount == payload.chunkCount, announcedByteCount == UInt64(payload.byteCount) else {
            throw BroadcastError(
                "\(subscriberName): announcement of \(announcedChunkCount ?? 0) chunks and \(announcedByteCount) "
                    + "bytes, sent \(payload.chunkCount) and \(payload.byteCount)")
        }
        guard chunks.count == payload.chunkCount else {
            throw BroadcastError("\(subscriberName): \(chunks.count) of \(payload.chunkCount) chunks arrived")
        }
        for (index, (chunk, sent)) in zip(chunks, payload.chunkFrames).enumerated() {
            let sameBytes =
                chunk.payload.count == sent.count
                && chunk.payload.withReceivedBytes { received in sent.withUnsafeBytes { Self.equal(received, $0) } }
            guard chunk.index == index, chunk.offset == UInt64(index * payload.chunkByteCount),
                chunk.announcedByteCount == sent.count, sameBytes
            else {
                throw BroadcastError(
                    "\(subscriberName): chunk \(index) differs from what was sent (header says chunk \(chunk.index) "
                        + "at offset \(chunk.offset), \(chunk.payload.count) bytes)")
            }
        }
    }

    /// Whether two buffers of the same length hold the same bytes (`memcmp`).
    private static func equal(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        guard let firstBase = first.baseAddress, let secondBase = second.baseAddress else { return first.count == 0 }
        return memcmp(firstBase, secondBase, min(first.count, second.count)) == 0
    }

    /// The received chunks joined in arrival order (a copy; for tests).
    var assembledBytes: [UInt8] {
        var bytes: [UInt8] = []
        for chunk in chunks { chunk.payload.withReceivedBytes { bytes.append(contentsOf: $0) } }
        return bytes
    }
}
