// The parameter snapshot the broadcast benchmark sends: a float32 buffer cut into 1 MiB chunk frames.

import VRTransport

/// A float32 buffer cut into chunk frames, and the messages that broadcast it, as `ParameterSnapshot` does.
///
/// The chunk frames are `SharedBytes`, so both paths send the very same memory without copying it: the
/// transport through `Frame`, the raw path through `zmq_msg_init_data`.
struct BroadcastPayload: Sendable {
    /// The size of the whole buffer in bytes.
    let byteCount: Int
    /// The size of every chunk but the last, in bytes.
    let chunkByteCount: Int
    /// The raw chunk payloads in order; together they are the buffer.
    let chunkFrames: [Frame]

    /// Fills a buffer of `byteCount` bytes with float32 values that differ from chunk to chunk.
    /// - Precondition: both sizes are positive multiples of 4.
    /// - Parameters:
    ///   - byteCount: the size of the buffer.
    ///   - chunkByteCount: the size of every chunk but the last.
    init(byteCount: Int, chunkByteCount: Int) {
        precondition(
            byteCount > 0 && chunkByteCount > 0 && byteCount % 4 == 0 && chunkByteCount % 4 == 0,
            "payload \(byteCount) and chunk \(chunkByteCount) bytes must be positive multiples of 4")
        self.byteCount = byteCount
        self.chunkByteCount = chunkByteCount
        chunkFrames = stride(from: 0, to: byteCount, by: chunkByteCount).map { offset in
            let count = min(chunkByteCount, byteCount - offset)
            return Frame(count: count) { bytes in
                let floats = bytes.bindMemory(to: Float.self)
                let first = offset / 4
                // A period that is prime and not a power of two, so that no two chunks hold the same bytes.
                for index in floats.indices { floats[index] = Float((first + index) % 1_000_003) * 0.25 }
            }
        }
    }

    /// The number of chunks.
    var chunkCount: Int { chunkFrames.count }

    /// The messages of one broadcast, in order: the announcement, then a header and payload per chunk.
    /// - Parameter parameterVersion: the version the headers carry, so runs cannot be mixed up.
    /// - Returns: `chunkCount + 1` messages.
    func messages(parameterVersion: UInt64) -> [Multipart] {
        let announcement = BroadcastFrameHeader.announcement(
            parameterVersion: parameterVersion, byteCount: UInt64(byteCount), chunkCount: chunkCount,
            chunkByteCount: chunkByteCount)
        var messages: [Multipart] = [[Frame(announcement.bytes)]]
        messages.reserveCapacity(chunkCount + 1)
        for (index, payload) in chunkFrames.enumerated() {
            let header = BroadcastFrameHeader.chunk(
                parameterVersion: parameterVersion, chunkIndex: index, offset: UInt64(index * chunkByteCount),
                byteCount: payload.count)
            messages.append([Frame(header.bytes), payload])
        }
        return messages
    }

    /// The message sent until every subscriber is known to be connected.
    static var probe: Multipart { [Frame(BroadcastFrameHeader.probe.bytes)] }

    /// The whole buffer as one array (a copy; for tests and diagnostics).
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for frame in chunkFrames { frame.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        return bytes
    }
}
