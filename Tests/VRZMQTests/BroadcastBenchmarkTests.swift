// The broadcast benchmark at a tiny size: both paths deliver every byte, and its byte check catches damage.

import Testing
import VRTransport

@testable import VRBench

@Suite("broadcast benchmark", .timeLimit(.minutes(1)))
struct BroadcastBenchmarkTests {
    /// 1 MiB in 8 chunks of 128 KiB: above the 64 KiB zero-copy threshold, like the real 1 MiB chunks.
    static let payload = BroadcastPayload(byteCount: 1 << 20, chunkByteCount: 128 << 10)
    static let benchmark = BroadcastBenchmark(
        payloadByteCount: 1 << 20, chunkByteCount: 128 << 10, repeats: 1, receiveTimeout: .seconds(20))

    @Test("headers survive encoding, and unknown bytes are refused")
    func headerRoundTrip() {
        let headers: [BroadcastFrameHeader] = [
            .probe,
            .announcement(parameterVersion: 7, byteCount: 1 << 26, chunkCount: 64, chunkByteCount: 1 << 20),
            .chunk(parameterVersion: 7, chunkIndex: 63, offset: 63 << 20, byteCount: 1 << 20),
        ]
        for header in headers {
            #expect(header.bytes.withUnsafeBytes { BroadcastFrameHeader(decoding: $0) } == header)
        }
        #expect([UInt8]("X".utf8).withUnsafeBytes { BroadcastFrameHeader(decoding: $0) } == nil)
        #expect([UInt8]().withUnsafeBytes { BroadcastFrameHeader(decoding: $0) } == nil)
    }

    @Test("the transport path delivers every byte to two subscribers")
    func transportPath() async throws {
        let cluster = try BroadcastTransportCluster(
            subscriberCount: 2, configuration: Self.benchmark.transportConfiguration, receiveTimeout: .seconds(20))
        do {
            try expectEveryByte(try await cluster.broadcast(Self.payload, parameterVersion: 1))
        } catch {
            await cluster.close()
            throw error
        }
        await cluster.close()
    }

    @Test("the raw libzmq path delivers every byte to two subscribers")
    func rawPath() async throws {
        let configuration = Self.benchmark.transportConfiguration
        let run = try await BroadcastThread.run(name: "raw-path-test") { () throws(BroadcastError) in
            let cluster = try BroadcastRawCluster(
                subscriberCount: 2, configuration: configuration, receiveTimeout: .seconds(20))
            defer { cluster.close() }
            return try cluster.broadcast(Self.payload, parameterVersion: 1)
        }
        try expectEveryByte(run)
    }

    @Test("the byte check refuses a flipped byte, a missing chunk and a stray message")
    func verificationCatchesDamage() throws {
        var messages = Self.payload.messages(parameterVersion: 3)
        var flipped = messages[5][1].bytes
        flipped[1_000] ^= 0x01
        messages[5][1] = Frame(flipped)
        let damaged = try reception(of: messages)
        #expect(throws: BroadcastError.self) { try damaged.verify(against: Self.payload) }

        let short = try reception(of: Array(Self.payload.messages(parameterVersion: 3).dropLast()))
        #expect(throws: BroadcastError.self) { try short.verify(against: Self.payload) }

        let intact = try reception(of: Self.payload.messages(parameterVersion: 3))
        try intact.verify(against: Self.payload)

        var wrongVersion = BroadcastReception<Frame>(parameterVersion: 4, subscriberName: "test")
        #expect(throws: BroadcastError.self) { _ = try wrongVersion.accept(messages[0]) }
    }

    @Test("measure reports both paths and counts every byte it checked")
    func measureAtTinySize() async throws {
        let results = try await Self.benchmark.measure(subscriberCounts: [2])
        let result = try #require(results.first)
        #expect(results.count == 1)
        #expect(result.subscriberCount == 2)
        // 2 paths x (1 warm-up + 1 timed run) x 2 subscribers x 1 MiB
        #expect(result.verifiedBytes == 2 * 2 * 2 * (1 << 20))
        #expect(result.transportMegabytesPerSecond.isFinite && result.transportMegabytesPerSecond > 0)
        #expect(result.rawMegabytesPerSecond.isFinite && result.rawMegabytesPerSecond > 0)
        #expect(result.transport.fastestSeconds <= result.transport.medianSeconds)
        #expect(result.raw.fastestSeconds <= result.raw.medianSeconds)
        #expect(abs(result.transportToRawRatio - result.raw.fastestSeconds / result.transport.fastestSeconds) < 1e-12)
    }

    @Test("run times reduce to the fastest and the median")
    func times() {
        #expect(BroadcastTimes([0.3, 0.1, 0.2]) == BroadcastTimes(fastestSeconds: 0.1, medianSeconds: 0.2))
        #expect(BroadcastTimes([0.4, 0.1, 0.3, 0.2]) == BroadcastTimes(fastestSeconds: 0.1, medianSeconds: 0.25))
    }

    // MARK: - Helpers

    /// Every subscriber holds the payload's exact bytes, which are not a trivial pattern.
    private func expectEveryByte<Received>(_ run: BroadcastRun<Received>) throws {
        let sent = Self.payload.bytes
        #expect(Set(sent.prefix(4_096)).count > 16)
        #expect(run.receptions.count == 2)
        for reception in run.receptions {
            #expect(reception.assembledBytes == sent)
            try reception.verify(against: Self.payload)
        }
        #expect(try run.verify(against: Self.payload) == 2 * sent.count)
        #expect(run.elapsed > .zero)
    }

    /// A reception that was handed `messages` in order.
    private func reception(of messages: [Multipart]) throws -> BroadcastReception<Frame> {
        var reception = BroadcastReception<Frame>(parameterVersion: 3, subscriberName: "test")
        for message in messages { _ = try reception.accept(message) }
        return reception
    }
}
