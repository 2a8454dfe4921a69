// Failures of libzmq calls, with their errno and the call that failed.

import CZeroMQ
import VRTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libzmq call that failed: which call, and the `errno` it set.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    /// The `errno` value (`EAGAIN`, `EHOSTUNREACH`, `ETERM`, ...).
    public let code: Int32
    /// The libzmq function and its argument, such as `zmq_bind(tcp://127.0.0.1:5555)`.
    public let operation: String

    /// Records a failure.
    /// - Parameters:
    ///   - code: the `errno` value.
    ///   - operation: the call that failed.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The failure of the call that just returned an error, from `zmq_errno()`.
    /// - Parameter operation: the call that failed.
    /// - Returns: the error.
    public static func last(_ operation: String) -> ZMQError {
        ZMQError(code: zmq_errno(), operation: operation)
    }

    /// libzmq's text for the code, such as `Address already in use`.
    public var message: String {
        String(cString: zmq_strerror(code))
    }

    /// `<operation>: <message> (errno <code>)`.
    public var description: String {
        "\(operation): \(message) (errno \(code))"
    }

    /// The same failure as a `TransportError` with code `.system`.
    /// - Parameter hint: what to do next; defaults to the description.
    /// - Returns: the transport error.
    public func transportError(hint: String? = nil) -> TransportError {
        TransportError(.system(code), hint: hint ?? description)
    }
}
