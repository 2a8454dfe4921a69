// One frame received from a libzmq socket, with its multipart flag and source connection.

import VRTransport

/// One received frame and where it came from.
public struct ReceivedFrame: Sendable {
    /// The bytes (unaligned; adopted without copying when at least `ZMQMessage.zeroCopyThreshold` long).
    public let frame: Frame
    /// Whether more frames of the same multipart message follow.
    public let hasMore: Bool
    /// The file descriptor of the connection it arrived on, or -1 (`ZMQ_SRCFD`).
    public let sourceDescriptor: Int32
}
