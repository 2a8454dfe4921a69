// The one error type of the transport modules: what failed, where, and what to do about it.

/// A transport operation that failed; `code` says what, `hint` what to do next.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The transport was closed (before or during the call).
        case closed
        /// The waiting task was cancelled; nothing was sent or received by this call.
        case cancelled
        /// A send found no room within the send timeout: the receiver is slow, or not connected.
        case timedOut
        /// No worker with this identity is connected to the learner (ZeroMQ `ROUTER_MANDATORY`).
        case unreachable(PeerID)
        /// An identity that libzmq cannot route (empty, over 255 bytes, or starting with a zero byte).
        case invalidPeerID
        /// A message with no frames, or a frame over `maximumFrameBytes`.
        case invalidMessage
        /// A configuration value is out of range.
        case invalidConfiguration
        /// An endpoint could not be bound or connected.
        case endpoint(String)
        /// libzmq or the operating system failed with this `errno`.
        case system(Int32)
    }

    /// What went wrong.
    public let code: Code
    /// What the operator or caller should do next.
    public let hint: String
    /// The throw site, `file:line`.
    public let location: String

    /// Creates an error at the caller's location.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - hint: what to do next.
    ///   - file: the throw site's file (default: the caller's).
    ///   - line: the throw site's line (default: the caller's).
    public init(_ code: Code, hint: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.hint = hint
        self.location = "\(file):\(line)"
    }

    /// The error for a call on a closed transport.
    /// - Parameters:
    ///   - file: the throw site's file.
    ///   - line: the throw site's line.
    /// - Returns: an error with code `.closed`.
    public static func closed(file: String = #fileID, line: Int = #line) -> TransportError {
        TransportError(.closed, hint: "the transport was closed; create a new one", file: file, line: line)
    }

    /// The error for a wait that ended because its task was cancelled.
    /// - Parameters:
    ///   - file: the throw site's file.
    ///   - line: the throw site's line.
    /// - Returns: an error with code `.cancelled`.
    public static func cancelled(file: String = #fileID, line: Int = #line) -> TransportError {
        TransportError(.cancelled, hint: "the waiting task was cancelled", file: file, line: line)
    }

    /// `TransportError.<code> at <file:line>: <hint>`.
    public var description: String {
        "TransportError.\(code) at \(location): \(hint)"
    }
}
