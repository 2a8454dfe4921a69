// Splitting parameter buffers into chunk frames and reassembling them with full validation.

import Testing
import VRCore
import VRWire

@Suite("Parameter snapshots")
struct ParameterSnapshotTests {
    let codec = WireCodec()
    let configuration = #"{"layers":2}"#

    private func parameters(_ count: Int, seed: UInt64 = 3) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
    }

    /// Sends every message of a snapshot through the codec and reassembles the received chunks.
    private func transmit(_ snapshot: ParameterSnapshot) throws -> [Float] {
        var assembler: ParameterAssembler?
        for message in snapshot.messages {
            let frames = try codec.encode(message, senderID: "learner")
            #expect(frames.allSatisfy { $0.count <= WireLimits.frameBytesCap })
            switch try codec.decode(frames).message {
            case .parameterAnnouncement(let announcement):
                assembler = try ParameterAssembler(announcement: announcement)
            case .snapshotChunk(let chunk): try #require(assembler != nil); try assembler?.add(chunk)
            default: Issue.record("unexpected message")
            }
        }
        let complete = try #require(assembler)
        #expect(complete.isComplete)
        return try complete.parameters()
    }

    @Test(
        "round trip: 0 bytes, under one chunk, exactly one chunk, more than two chunks",
        arguments: [(0, 64), (10, 64), (16, 64), (1000, 256), (1001, 12)])
    func roundTrip(floatCount: Int, chunkByteCount: Int) throws {
        let values = parameters(floatCount)
        let snapshot = ParameterSnapshot(
            parameters: values, parameterVersion: 5, modelConfigurationJSON: configuration,
            chunkByteCount: chunkByteCount)
        let expectedChunks = (floatCount * 4 + chunkByteCount - 1) / chunkByteCount
        #expect(snapshot.chunks.count == expectedChunks)
        #expect(snapshot.announcement.byteCount == UInt64(floatCount * 4))
        #expect(snapshot.chunks.allSatisfy { $0.byteCount <= chunkByteCount })
        #expect(snapshot.announcement.crc32 == CRC32.checksum(snapshot.chunks.flatMap(\.payload)))
        #expect(try transmit(snapshot) == values)
    }

    @Test(
        "buffers cut as one: chunks that straddle the boundary, empty segments, reassembled by the receiver",
        arguments: [(5, 7, 12), (4, 4, 16), (0, 9, 8), (9, 0, 8), (3, 3, 64)])
    func segments(first: Int, second: Int, chunkByteCount: Int) throws {
        let values = parameters(first + second)
        var chunks: [SnapshotChunk] = []
        let announcement = values.withUnsafeBufferPointer { all in
            ParameterSnapshot.cut(
                [UnsafeBufferPointer(rebasing: all[..<first]), UnsafeBufferPointer(rebasing: all[first...])],
                parameterVersion: 4, modelConfigurationJSON: configuration, chunkByteCount: chunkByteCount
            ) { chunks.append($0) }
        }
        #expect(chunks.count == (values.count * 4 + chunkByteCount - 1) / chunkByteCount)
        #expect(chunks.dropLast().allSatisfy { $0.byteCount == chunkByteCount })
        #expect(announcement.chunkCount == chunks.count && announcement.byteCount == UInt64(values.count * 4))
        var assembler = try ParameterAssembler(announcement: announcement)
        for chunk in chunks {
            let frames = try codec.encode(.snapshotChunk(chunk), senderID: "learner")
            guard case .snapshotChunk(let received) = try codec.decode(frames).message else {
                Issue.record("not a chunk")
                return
            }
            try assembler.add(received)
        }
        #expect(assembler.isComplete)
        #expect(try assembler.parameters() == values)
    }

    @Test("bytes are little-endian float32")
    func littleEndian() {
        let snapshot = ParameterSnapshot(parameters: [1.0, -2.0], parameterVersion: 1, modelConfigurationJSON: "{}")
        #expect(snapshot.chunks.map(\.payload) == [[0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]])
    }

    @Test("the 16 MiB cap: a 16 MiB chunk passes the codec, one byte-group more does not")
    func sixteenMebibyteCap() throws {
        let cap = WireLimits.frameBytesCap
        #expect(cap == 16 * 1024 * 1024)
        let values = [Float](repeating: 0.5, count: cap / 4 + 2)
        let snapshot = ParameterSnapshot(
            parameters: values, parameterVersion: 9, modelConfigurationJSON: configuration, chunkByteCount: cap)
        #expect(snapshot.chunks.map(\.byteCount) == [cap, 8])
        #expect(try transmit(snapshot) == values)

        let oversized = SnapshotChunk(
            parameterVersion: 9, chunkIndex: 0, offset: 0, payload: [UInt8](repeating: 0, count: cap + 4))
        let error = try #require(throws: WireError.self) { try codec.encode(.snapshotChunk(oversized), senderID: "l") }
        #expect(error.code == .tooLarge)
        let header = try codec.encode(.snapshotChunk(snapshot.chunks[1]), senderID: "l")[0]
        #expect(throws: WireError.self) { try codec.decode([header, oversized.payload]) }
        var announcement = snapshot.announcement
        announcement.chunkByteCount = cap + 4
        announcement.chunkCount = 1
        #expect(throws: WireError.self) { try ParameterAssembler(announcement: announcement) }
    }

    // MARK: - Reassembly errors

    private var snapshot: ParameterSnapshot {
        ParameterSnapshot(
            parameters: parameters(40), parameterVersion: 7, modelConfigurationJSON: "{}", chunkByteCount: 32)
    }

    private func assembleError(_ chunks: [SnapshotChunk], announcement: ParameterAnnouncement? = nil) -> WireError.Code?
    {
        do {
            _ = try ParameterAssembler.assemble(announcement: announcement ?? snapshot.announcement, chunks: chunks)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("missing, repeated, reordered, extra and foreign-version chunks are out of sequence")
    func sequence() {
        let chunks = snapshot.chunks
        #expect(chunks.count == 5)
        #expect(assembleError(chunks) == nil)
        #expect(assembleError(Array(chunks.dropLast())) == .chunkOutOfSequence)
        #expect(assembleError([chunks[0], chunks[2], chunks[3], chunks[4]]) == .chunkOutOfSequence)
        #expect(assembleError([chunks[0], chunks[0]] + chunks[1...]) == .chunkOutOfSequence)
        #expect(assembleError([chunks[1], chunks[0]] + chunks[2...]) == .chunkOutOfSequence)
        #expect(assembleError(chunks + [chunks[4]]) == .chunkOutOfSequence)
        var foreign = chunks[2]
        foreign.parameterVersion = 8
        #expect(assembleError(Array(chunks[0..<2]) + [foreign] + chunks[3...]) == .chunkOutOfSequence)
    }

    @Test("wrong sizes and offsets are invalid; corrupted bytes fail the checksum")
    func sizesAndChecksums() {
        var chunks = snapshot.chunks
        let good = chunks
        chunks[1] = SnapshotChunk(
            parameterVersion: 7, chunkIndex: 1, offset: 32, payload: Array(good[1].payload.dropLast(4)))
        #expect(assembleError(chunks) == .invalidValue)
        chunks = good
        chunks[4] = SnapshotChunk(parameterVersion: 7, chunkIndex: 4, offset: 132, payload: good[4].payload)
        #expect(assembleError(chunks) == .invalidValue)
        chunks = good
        chunks[3].payload[0] ^= 1
        #expect(assembleError(chunks) == .badChecksum)
        var announcement = snapshot.announcement
        announcement.crc32 ^= 1
        #expect(assembleError(good, announcement: announcement) == .badChecksum)
    }

    @Test("a failed add leaves the assembler usable; an incomplete snapshot is reported")
    func failedAdd() throws {
        let chunks = snapshot.chunks
        var assembler = try ParameterAssembler(announcement: snapshot.announcement)
        try assembler.add(chunks[0])
        #expect(throws: WireError.self) { try assembler.add(chunks[2]) }
        #expect(assembler.nextChunkIndex == 1)
        let error = try #require(throws: WireError.self) { try assembler.parameters() }
        #expect(error.code == .chunkOutOfSequence)
        for chunk in chunks[1...] { try assembler.add(chunk) }
        #expect(try assembler.parameters() == parameters(40))
    }

    @Test("inconsistent or oversized announcements are rejected before any chunk")
    func announcements() {
        var announcement = snapshot.announcement
        announcement.chunkCount = 4
        #expect(throws: WireError.self) { try ParameterAssembler(announcement: announcement) }
        announcement = snapshot.announcement
        announcement.byteCount = 158
        #expect(throws: WireError.self) { try ParameterAssembler(announcement: announcement) }
        var limits = WireLimits()
        limits.maxParameterBytes = 100
        let error = try? #require(throws: WireError.self) {
            try ParameterAssembler(announcement: snapshot.announcement, limits: limits)
        }
        #expect(error?.code == .tooLarge)
    }
}
