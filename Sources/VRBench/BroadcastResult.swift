// The broadcast benchmark's result for one subscriber count: transport against raw libzmq.

/// How fast one parameter snapshot reaches every subscriber, through the transport and through raw libzmq.
///
/// Throughput is the snapshot's payload bytes divided by the time from the first send until the last
/// subscriber holds the last chunk, in MB/s (10^6 bytes per second); each subscriber receives the whole
/// snapshot, so the bytes on the wire are that times `subscriberCount`. JSON carries the derived throughputs
/// and ratios too, so that readers need not compute them.
public struct BroadcastResult: Sendable, Codable, Equatable {
    /// Always `broadcast`, so that JSON lines of different benchmarks can be told apart.
    public var benchmark = "broadcast"
    /// Subscribers (worker transports, or SUB sockets on the raw path).
    public var subscriberCount: Int
    /// Payload bytes of the snapshot.
    public var payloadBytes: Int
    /// Bytes per chunk frame.
    public var chunkBytes: Int
    /// Timed runs per path, after one warm-up run each.
    public var repeats: Int
    /// The transport's timed runs.
    public var transport: BroadcastTimes
    /// Raw libzmq's timed runs.
    public var raw: BroadcastTimes
    /// Payload bytes checked byte for byte at the subscribers, over every run of both paths.
    public var verifiedBytes: Int
    /// The transport's MB/s in its fastest run.
    public private(set) var transportMegabytesPerSecond = 0.0
    /// Raw libzmq's MB/s in its fastest run.
    public private(set) var rawMegabytesPerSecond = 0.0
    /// Transport throughput over raw throughput, fastest runs; the goal is at least 0.9.
    public private(set) var transportToRawRatio = 0.0
    /// The transport's MB/s in its median run.
    public private(set) var medianTransportMegabytesPerSecond = 0.0
    /// Raw libzmq's MB/s in its median run.
    public private(set) var medianRawMegabytesPerSecond = 0.0
    /// Transport throughput over raw throughput, median runs.
    public private(set) var medianTransportToRawRatio = 0.0

    /// Creates a result and derives its throughputs and ratios.
    /// - Parameters:
    ///   - subscriberCount: subscribers.
    ///   - payloadBytes: payload bytes of the snapshot.
    ///   - chunkBytes: bytes per chunk frame.
    ///   - repeats: timed runs per path.
    ///   - transport: the transport's timed runs.
    ///   - raw: raw libzmq's timed runs.
    ///   - verifiedBytes: payload bytes checked at the subscribers.
    public init(
        subscriberCount: Int, payloadBytes: Int, chunkBytes: Int, repeats: Int, transport: BroadcastTimes,
        raw: BroadcastTimes, verifiedBytes: Int
    ) {
        self.subscriberCount = subscriberCount
        self.payloadBytes = payloadBytes
        self.chunkBytes = chunkBytes
        self.repeats = repeats
        self.transport = transport
        self.raw = raw
        self.verifiedBytes = verifiedBytes
        transportMegabytesPerSecond = Double(payloadBytes) / transport.fastestSeconds / 1e6
        rawMegabytesPerSecond = Double(payloadBytes) / raw.fastestSeconds / 1e6
        transportToRawRatio = raw.fastestSeconds / transport.fastestSeconds
        medianTransportMegabytesPerSecond = Double(payloadBytes) / transport.medianSeconds / 1e6
        medianRawMegabytesPerSecond = Double(payloadBytes) / raw.medianSeconds / 1e6
        medianTransportToRawRatio = raw.medianSeconds / transport.medianSeconds
    }
}
