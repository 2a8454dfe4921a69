// Connection events read from a socket monitor (zmq_socket_monitor), decoded from their two frames.

import CZeroMQ
import VRTransport

/// One event from a socket monitor: what happened, its value, and the endpoint.
public struct ZMQMonitorEvent: Sendable, Equatable {
    /// The `ZMQ_EVENT_*` bit, such as `ZMQ_EVENT_DISCONNECTED`.
    public let event: Int32
    /// The event's value: the connection's file descriptor for connect, accept and disconnect events.
    public let value: Int32
    /// The endpoint the event concerns.
    public let endpoint: String

    /// Decodes the two frames of a version 1 monitor message.
    ///
    /// The first frame holds a 16-bit event and a 32-bit value in host byte order, unaligned (STACK.md:
    /// received data is not aligned, hence `loadUnaligned`); the second holds the endpoint.
    /// Returns nil for a malformed message.
    /// - Parameter frames: the frames as received.
    public init?(frames: Multipart) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let (event, value) = frames[0].withUnsafeBytes {
            ($0.loadUnaligned(fromByteOffset: 0, as: UInt16.self), $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        }
        self.event = Int32(event)
        self.value = Int32(bitPattern: value)
        self.endpoint = String(decoding: frames[1].bytes, as: UTF8.self)
    }
}

extension ZMQSocket {
    /// Receives one event from a PAIR socket connected to a monitor endpoint.
    /// - Parameter dontWait: return nil instead of blocking when nothing is queued.
    /// - Returns: the event, or nil with `dontWait` when nothing is queued or the message is malformed.
    /// - Throws: `ZMQError`.
    public func receiveMonitorEvent(dontWait: Bool = false) throws(ZMQError) -> ZMQMonitorEvent? {
        guard let (frames, _) = try receiveMultipart(dontWait: dontWait) else { return nil }
        return ZMQMonitorEvent(frames: frames)
    }
}
