// The identity a worker presents to the learner: ZeroMQ's ROUTER routing id.

/// A worker's identity on the learner's request channel (ZeroMQ's routing id).
///
/// Valid identities have 1 to 255 bytes and do not start with a zero byte (libzmq reserves those for
/// identities it generates). A worker keeps its identity across reconnects, so the learner can route
/// replies to it again; the learner accepts a reconnecting worker's identity even before it notices that the
/// old connection died (ZeroMQ's `ROUTER_HANDOVER`).
public struct PeerID: Hashable, Sendable {
    /// The largest identity, in bytes (libzmq's limit).
    public static let maximumByteCount = 255

    /// The identity's bytes.
    public let bytes: [UInt8]

    /// Checks and wraps identity bytes.
    /// - Parameter bytes: 1 to 255 bytes, the first of which is not zero.
    /// - Throws: `TransportError` with code `.invalidPeerID` for other bytes.
    public init(bytes: [UInt8]) throws(TransportError) {
        guard (1...Self.maximumByteCount).contains(bytes.count), bytes[0] != 0 else {
            throw TransportError(
                .invalidPeerID,
                hint: "a peer identity needs 1 to \(Self.maximumByteCount) bytes and must not start with a zero "
                    + "byte; got \(bytes.count) bytes")
        }
        self.bytes = bytes
    }

    /// The identity spelled by a name such as `worker-1`, as UTF-8.
    /// - Parameter name: a non-empty name of at most 255 UTF-8 bytes.
    /// - Throws: `TransportError` with code `.invalidPeerID` for an empty or too long name.
    public init(_ name: String) throws(TransportError) {
        try self.init(bytes: Array(name.utf8))
    }

    /// Wraps identity bytes a peer presented, without checking them (libzmq generates identities that start
    /// with a zero byte for peers that set none).
    /// - Parameter bytes: the routing id as received.
    package init(received bytes: [UInt8]) {
        self.bytes = bytes
    }
}

extension PeerID: CustomStringConvertible {
    /// The identity as text when it is printable ASCII, otherwise as `0x` and hex digits.
    public var description: String {
        if bytes.allSatisfy({ (0x21...0x7e).contains($0) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return "0x" + bytes.map(hex).joined()
    }
}
