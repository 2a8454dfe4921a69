// The parameter-broadcast benchmark: transport against raw libzmq, interleaved, best of N, every byte checked.

import VRTransport

/// Measures how fast a parameter snapshot reaches 1, 2 or 4 subscribers over loopback TCP, through
/// `ZMQLearnerTransport.publish` / `ZMQWorkerTransport.receivePublications` and through raw libzmq calls.
///
/// Both paths send the same frames from the same memory: an announcement, then per chunk a small header and
/// the raw payload frame, as `ParameterSnapshot` does. A run is timed from just before the first send until
/// the last subscriber holds the last chunk; the bytes are checked against what was sent after the clock
/// stops. Runs of the two paths alternate, so load from other processes affects both alike.
public struct BroadcastBenchmark: Sendable {
    /// The subscriber counts `vr bench --suite broadcast` measures by default.
    public static let defaultSubscriberCounts = [1, 2, 4]

    /// Payload bytes of the snapshot, a positive multiple of 4 (default 64 MiB of float32).
    public var payloadByteCount: Int
    /// Bytes per chunk frame, a positive multiple of 4 (default 1 MiB, `ParameterSnapshot`'s default).
    public var chunkByteCount: Int
    /// Timed runs per path and subscriber count, after one warm-up run each; the fastest is kept.
    public var repeats: Int
    /// How long one run may take before it fails, as when a publisher drops messages.
    public var receiveTimeout: Duration

    /// Creates a benchmark.
    /// - Parameters:
    ///   - payloadByteCount: payload bytes of the snapshot.
    ///   - chunkByteCount: bytes per chunk frame.
    ///   - repeats: timed runs per path.
    ///   - receiveTimeout: the longest a run may take.
    public init(
        payloadByteCount: Int = 64 << 20, chunkByteCount: Int = 1 << 20, repeats: Int = 3,
        receiveTimeout: Duration = .seconds(30)
    ) {
        self.payloadByteCount = payloadByteCount
        self.chunkByteCount = chunkByteCount
        self.repeats = repeats
        self.receiveTimeout = receiveTimeout
    }

    /// The transport settings both paths use: ephemeral loopback ports and room for a whole snapshot.
    ///
    /// PUB drops messages for a subscriber whose queue is full instead of waiting, so the high-water marks
    /// must hold every chunk of one snapshot: one message per chunk, and a byte budget of at least twice the
    /// snapshot. The raw path copies the resulting message counts.
    public var transportConfiguration: TransportConfiguration {
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = "tcp://127.0.0.1:*"
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.publishMessageBytes = chunkByteCount
        configuration.sendHighWaterMarkBytes = max(configuration.sendHighWaterMarkBytes, 2 * payloadByteCount)
        configuration.receiveHighWaterMarkBytes = max(configuration.receiveHighWaterMarkBytes, 2 * payloadByteCount)
        configuration.maximumFrameBytes = max(configuration.maximumFrameBytes, chunkByteCount)
        configuration.lingerMilliseconds = 100  // every run is complete before closing; this bounds a failed one
        return configuration
    }

    /// Checks the sizes and counts.
    /// - Throws: `BroadcastError` naming the first value out of range.
    public func validate() throws(BroadcastError) {
        guard payloadByteCount > 0, payloadByteCount % 4 == 0, chunkByteCount > 0, chunkByteCount % 4 == 0 else {
            throw BroadcastError(
                "payload (\(payloadByteCount)) and chunk (\(chunkByteCount)) bytes must be positive multiples of 4")
        }
        guard repeats >= 1 else { throw BroadcastError("repeats must be at least 1, got \(repeats)") }
    }

    /// Measures both paths for each subscriber count, reporting each result as soon as it is known.
    /// - Parameters:
    ///   - subscriberCounts: the subscriber counts, each at least 1.
    ///   - report: called with each result, in order.
    /// - Returns: the results, in order.
    /// - Throws: `BroadcastError` when a path cannot start, times out or delivers wrong bytes.
    public func measure(
        subscriberCounts: [Int], report: @escaping @Sendable (BroadcastResult) -> Void = { _ in }
    ) async throws(BroadcastError) -> [BroadcastResult] {
        try validate()
        let payload = BroadcastPayload(byteCount: payloadByteCount, chunkByteCount: chunkByteCount)
        var results: [BroadcastResult] = []
        for subscriberCount in subscriberCounts {
            let result = try await measure(payload, subscriberCount: subscriberCount)
            report(result)
            results.append(result)
        }
        return results
    }

    /// `measure(subscriberCounts:report:)` for synchronous callers: blocks the calling thread until done.
    ///
    /// Call it from a thread of your own, such as a command-line tool's main thread, never from async code.
    /// - Parameters:
    ///   - subscriberCounts: the subscriber counts, each at least 1.
    ///   - report: called with each result, in order.
    /// - Returns: the results, in order.
    /// - Throws: `BroadcastError` when a path cannot start, times out or delivers wrong bytes.
    public func measureBlocking(
        subscriberCounts: [Int], report: @escaping @Sendable (BroadcastResult) -> Void = { _ in }
    ) throws(BroadcastError) -> [BroadcastResult] {
        try BroadcastThread.wait { () async throws(BroadcastError) in
            try await measure(subscriberCounts: subscriberCounts, report: report)
        }
    }

    // MARK: - One subscriber count

    private func measure(
        _ payload: BroadcastPayload, subscriberCount: Int
    ) async throws(BroadcastError)
        -> BroadcastResult
    {
        guard subscriberCount >= 1 else { throw BroadcastError("subscriber counts must be at least 1") }
        let configuration = transportConfiguration
        let transport = try BroadcastTransportCluster(
            subscriberCount: subscriberCount, configuration: configuration, receiveTimeout: receiveTimeout)
        let raw: BroadcastRawCluster
        do {
            raw = try await BroadcastThread.run(name: "vr-bench-raw-setup") {
                [receiveTimeout] () throws(BroadcastError) in
                try BroadcastRawCluster(
                    subscriberCount: subscriberCount, configuration: configuration, receiveTimeout: receiveTimeout)
            }
        } catch {
            await transport.close()
            throw error
        }
        let outcome: Result<BroadcastResult, BroadcastError>
        do {
            outcome = .success(try await compare(payload, transport: transport, raw: raw))
        } catch {
            outcome = .failure(error)
        }
        await transport.close()
        _ = try? await BroadcastThread.run(name: "vr-bench-raw-close") { raw.close() }
        return try outcome.get()
    }

    /// Alternates transport and raw runs, one warm-up each (page faults, connection set-up) and then `repeats`;
    /// the path that goes first swaps every round, so neither always runs on memory the other just freed.
    private func compare(
        _ payload: BroadcastPayload, transport: BroadcastTransportCluster, raw: BroadcastRawCluster
    ) async throws(BroadcastError) -> BroadcastResult {
        var transportSeconds: [Double] = []
        var rawSeconds: [Double] = []
        var verifiedBytes = 0
        var parameterVersion: UInt64 = 0
        for round in 0...repeats {
            for path in round % 2 == 0 ? [Path.transport, .raw] : [.raw, .transport] {
                parameterVersion += 1
                let (seconds, checkedBytes) =
                    path == .transport
                    ? try await timedRun(payload, transport: transport, parameterVersion: parameterVersion)
                    : try await timedRun(payload, raw: raw, parameterVersion: parameterVersion)
                verifiedBytes += checkedBytes
                guard round > 0 else { continue }
                if path == .transport { transportSeconds.append(seconds) } else { rawSeconds.append(seconds) }
            }
        }
        return BroadcastResult(
            subscriberCount: transport.subscriberCount, payloadBytes: payload.byteCount,
            chunkBytes: payload.chunkByteCount, repeats: repeats, transport: BroadcastTimes(transportSeconds),
            raw: BroadcastTimes(rawSeconds), verifiedBytes: verifiedBytes)
    }

    private enum Path { case transport, raw }

    /// One transport run, checked; its received buffers are released before this returns.
    private func timedRun(
        _ payload: BroadcastPayload, transport: BroadcastTransportCluster, parameterVersion: UInt64
    ) async throws(BroadcastError) -> (seconds: Double, verifiedBytes: Int) {
        let run = try await transport.broadcast(payload, parameterVersion: parameterVersion)
        return (run.seconds, try run.verify(against: payload))
    }

    /// One raw run on a thread of its own, checked; its received buffers are released before this returns.
    private func timedRun(
        _ payload: BroadcastPayload, raw: BroadcastRawCluster, parameterVersion: UInt64
    ) async throws(BroadcastError) -> (seconds: Double, verifiedBytes: Int) {
        let run = try await BroadcastThread.run(name: "vr-bench-raw-publisher") { () throws(BroadcastError) in
            try raw.broadcast(payload, parameterVersion: parameterVersion)
        }
        return (run.seconds, try run.verify(against: payload))
    }
}
