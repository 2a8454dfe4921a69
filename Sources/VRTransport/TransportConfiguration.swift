// Settings shared by both ends of the transport, with documented defaults.

/// Endpoints, memory bounds and timing of the transport; the learner and its workers use the same settings.
///
/// JSON keys are the property names and every key is optional: missing keys take the defaults below, unknown
/// keys are rejected. Call `validate()` before use (the transports do).
///
/// **Memory bounds.** Budgets are in bytes. The in-process transport applies them exactly. libzmq counts
/// messages rather than bytes, so the ZeroMQ transport turns a budget into a message count per connection:
/// `hwm = max(1, budgetBytes / typicalMessageBytes)`, with `requestMessageBytes` for the request channel
/// (ROUTER/DEALER) and `publishMessageBytes` for the publish channel (PUB/SUB). The bound is exact when every
/// message has the typical size, and scales with the ratio otherwise; it also applies per connection, so a
/// learner with N workers may hold N times the send budget. Set the typical sizes to the largest messages
/// you expect to bound memory strictly.
public struct TransportConfiguration: Codable, Sendable, Equatable {
    /// The learner's request channel: its ROUTER binds here and workers' DEALERs connect here
    /// (default `tcp://127.0.0.1:5555`; bind `tcp://*:5555` to accept remote workers, `tcp://127.0.0.1:*` for
    /// any free port).
    public var requestEndpoint: String = "tcp://127.0.0.1:5555"
    /// The learner's publish channel: its PUB binds here and workers' SUBs connect here
    /// (default `tcp://127.0.0.1:5556`).
    public var publishEndpoint: String = "tcp://127.0.0.1:5556"
    /// Bytes a sender may queue towards one peer before sends wait, at least 1 (default 256 MiB).
    public var sendHighWaterMarkBytes: Int = 256 << 20
    /// Bytes a receiver may queue from its peers before it stops reading, at least 1 (default 256 MiB).
    public var receiveHighWaterMarkBytes: Int = 256 << 20
    /// The typical size of one request-channel message (a rollout batch), at least 1 (default 1 MiB).
    public var requestMessageBytes: Int = 1 << 20
    /// The typical size of one published message (a parameter chunk, `ParameterSnapshot`), at least 1 (default 1 MiB).
    public var publishMessageBytes: Int = 1 << 20
    /// The largest frame a peer may send (default 16 MiB, the wire protocol's frame cap).
    ///
    /// A larger incoming frame drops the connection as soon as its size is known, before its bytes are read
    /// (`ZMQ_MAXMSGSIZE`), so a peer cannot make the receiver hold more than this per frame.
    public var maximumFrameBytes: Int = 16 << 20
    /// How long closing waits to deliver queued messages, in 0...60,000 ms (default 1,000).
    public var lingerMilliseconds: Int = 1_000
    /// How long a send waits for room (a slow or disconnected receiver) before it fails with `.timedOut`,
    /// in 1...3,600,000 ms (default 10,000).
    ///
    /// A send fails only after the queue refused it at its deadline.
    public var sendTimeoutMilliseconds: Int = 10_000
    /// How often each connection sends a ZMTP heartbeat, in 1...600,000 ms (default 1,000).
    public var heartbeatIntervalMilliseconds: Int = 1_000
    /// How long a connection may stay silent before it is dropped; at least the heartbeat interval and at most
    /// 6,553,599 ms (libzmq's TTL limit) (default 5,000).
    ///
    /// Heartbeats travel in the data stream, so a receiver that stops reading until its queues are full also
    /// stops answering them: a stall longer than this drops the connection, and the messages queued on it.
    public var heartbeatTimeoutMilliseconds: Int = 5_000
    /// The first pause before a worker reconnects, in 1...600,000 ms; it doubles per failed attempt
    /// (default 100).
    public var reconnectMinimumMilliseconds: Int = 100
    /// The longest pause between reconnect attempts, at least the minimum (default 30,000).
    public var reconnectMaximumMilliseconds: Int = 30_000

    /// Creates the default configuration.
    public init() {}

    /// `sendTimeoutMilliseconds` as a duration.
    public var sendTimeout: Duration { .milliseconds(sendTimeoutMilliseconds) }

    /// `heartbeatIntervalMilliseconds` as a duration.
    public var heartbeatInterval: Duration { .milliseconds(heartbeatIntervalMilliseconds) }

    /// `heartbeatTimeoutMilliseconds` as a duration.
    public var heartbeatTimeout: Duration { .milliseconds(heartbeatTimeoutMilliseconds) }

    /// Checks every value against its documented range.
    /// - Throws: `TransportError` with code `.invalidConfiguration` naming the first value out of range.
    public func validate() throws(TransportError) {
        try check(!requestEndpoint.isEmpty, "requestEndpoint is empty")
        try check(!publishEndpoint.isEmpty, "publishEndpoint is empty")
        try check(
            requestEndpoint != publishEndpoint || requestEndpoint.hasSuffix(":*"),
            "requestEndpoint and publishEndpoint are both \(requestEndpoint)")
        for (name, value) in [
            ("sendHighWaterMarkBytes", sendHighWaterMarkBytes),
            ("receiveHighWaterMarkBytes", receiveHighWaterMarkBytes),
            ("requestMessageBytes", requestMessageBytes), ("publishMessageBytes", publishMessageBytes),
            ("maximumFrameBytes", maximumFrameBytes),
        ] {
            try check(value >= 1, "\(name) must be at least 1, got \(value)")
        }
        try check(
            (0...60_000).contains(lingerMilliseconds), "lingerMilliseconds \(lingerMilliseconds) not in 0...60000")
        try check(
            (1...3_600_000).contains(sendTimeoutMilliseconds),
            "sendTimeoutMilliseconds \(sendTimeoutMilliseconds) not in 1...3600000")
        try check(
            (1...600_000).contains(heartbeatIntervalMilliseconds),
            "heartbeatIntervalMilliseconds \(heartbeatIntervalMilliseconds) not in 1...600000")
        try check(
            (heartbeatIntervalMilliseconds...6_553_599).contains(heartbeatTimeoutMilliseconds),
            "heartbeatTimeoutMilliseconds \(heartbeatTimeoutMilliseconds) not in "
                + "heartbeatIntervalMilliseconds...6553599")
        try check(
            (1...600_000).contains(reconnectMinimumMilliseconds),
            "reconnectMinimumMilliseconds \(reconnectMinimumMilliseconds) not in 1...600000")
        try check(
            reconnectMaximumMilliseconds >= reconnectMinimumMilliseconds,
            "reconnectMaximumMilliseconds \(reconnectMaximumMilliseconds) is below reconnectMinimumMilliseconds")
    }

    /// Throws `.invalidConfiguration` with `message` unless `condition` holds.
    private func check(_ condition: Bool, _ message: String) throws(TransportError) {
        guard condition else {
            throw TransportError(.invalidConfiguration, hint: "invalid transport configuration: \(message)")
        }
    }
}
