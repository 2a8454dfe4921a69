// Turning the transport's byte budgets into libzmq's per-connection message counts, and the shared options.

import CZeroMQ
import VRTransport

/// libzmq's high-water marks count messages per connection; the transport configures budgets in bytes.
///
/// ```
/// hwmMessages = max(1, budgetBytes / typicalMessageBytes)
/// ```
/// A multipart message counts once (libzmq checks the mark on its first frame). Memory then stays within
/// `hwmMessages * largestMessageBytes` per connection and direction, which equals the budget when messages
/// have the typical size; hence separate typical sizes for the request and publish channels.
public enum HighWaterMark {
    /// The message count for a byte budget.
    /// - Parameters:
    ///   - budgetBytes: the budget.
    ///   - messageBytes: the typical message size.
    /// - Returns: at least 1, at most `Int32.max`.
    public static func messages(budgetBytes: Int, messageBytes: Int) -> Int32 {
        Int32(clamping: max(1, budgetBytes / max(1, messageBytes)))
    }
}

extension ZMQSocket {
    /// Applies the options every transport socket shares: linger, high-water marks, heartbeats, frame limit.
    /// - Parameters:
    ///   - configuration: the transport settings.
    ///   - messageBytes: the typical message size on this socket's channel.
    /// - Throws: `ZMQError`.
    func applyTransportOptions(_ configuration: TransportConfiguration, messageBytes: Int) throws(ZMQError) {
        try setOption(ZMQ_LINGER, Int32(configuration.lingerMilliseconds))
        try setOption(
            ZMQ_SNDHWM,
            HighWaterMark.messages(budgetBytes: configuration.sendHighWaterMarkBytes, messageBytes: messageBytes))
        try setOption(
            ZMQ_RCVHWM,
            HighWaterMark.messages(budgetBytes: configuration.receiveHighWaterMarkBytes, messageBytes: messageBytes))
        try setOption(ZMQ_HEARTBEAT_IVL, Int32(configuration.heartbeatIntervalMilliseconds))
        try setOption(ZMQ_HEARTBEAT_TIMEOUT, Int32(configuration.heartbeatTimeoutMilliseconds))
        // The peer drops us when it hears nothing for this long (rounded down to 100 ms by libzmq).
        try setOption(ZMQ_HEARTBEAT_TTL, Int32(configuration.heartbeatTimeoutMilliseconds))
        try setOption(ZMQ_MAXMSGSIZE, int64: Int64(configuration.maximumFrameBytes))
    }

    /// Applies the reconnect options of a connecting socket: the first pause, doubling up to the maximum.
    /// - Parameter configuration: the transport settings.
    /// - Throws: `ZMQError`.
    func applyReconnectOptions(_ configuration: TransportConfiguration) throws(ZMQError) {
        try setOption(ZMQ_RECONNECT_IVL, Int32(configuration.reconnectMinimumMilliseconds))
        try setOption(ZMQ_RECONNECT_IVL_MAX, Int32(configuration.reconnectMaximumMilliseconds))
    }
}
