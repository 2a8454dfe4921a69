// A libzmq socket: creation, endpoints, options and monitoring. Sending and receiving are in ZMQSocket+Messages.

import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libzmq socket with one owner at a time.
///
/// libzmq sockets are not thread-safe: create one on any thread, hand it over once (a thread start is a full
/// memory barrier), and from then on use it from its owner thread only. Blocking calls belong on a dedicated
/// thread, never on the Swift cooperative pool. The handle is a `let` on purpose: a `var` costs a dynamic
/// exclusivity check per call (STACK.md section 1).
public final class ZMQSocket: @unchecked Sendable {
    /// The `void *` libzmq socket.
    public let handle: UnsafeMutableRawPointer
    /// The context, kept alive as long as the socket.
    public let context: ZMQContext
    /// The socket type.
    public let type: ZMQSocketType
    /// Whether `close()` ran; touched only by the owner and `deinit`.
    private var isClosed = false

    /// Creates a socket in a context.
    /// - Parameters:
    ///   - context: the context.
    ///   - type: the socket type.
    /// - Throws: `ZMQError` when libzmq cannot create it (too many sockets, context terminated).
    public init(context: ZMQContext, type: ZMQSocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket(\(type))")
        }
        self.handle = handle
        self.context = context
        self.type = type
    }

    deinit {
        close()
    }

    /// Closes the socket (idempotent); queued messages are delivered in the background for up to its linger time.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        zmq_close(handle)
    }

    /// Binds to an endpoint such as `tcp://127.0.0.1:*` (any free port) or `inproc://name`.
    /// - Parameter endpoint: the endpoint.
    /// - Throws: `ZMQError` (`EADDRINUSE`, `EINVAL` for a malformed endpoint, ...).
    public func bind(_ endpoint: String) throws(ZMQError) {
        try check(zmq_bind(handle, endpoint), "zmq_bind(\(endpoint))")
    }

    /// Connects to an endpoint; libzmq connects (and reconnects) in the background.
    /// - Parameter endpoint: the endpoint.
    /// - Throws: `ZMQError` for a malformed endpoint.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try check(zmq_connect(handle, endpoint), "zmq_connect(\(endpoint))")
    }

    /// The endpoint of the last bind or connect, with a wildcard port resolved (`ZMQ_LAST_ENDPOINT`).
    /// - Returns: e.g. `tcp://127.0.0.1:41234`.
    /// - Throws: `ZMQError`.
    public func lastEndpoint() throws(ZMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        try check(zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size), "zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets an `int` option such as `ZMQ_LINGER` or `ZMQ_SNDHWM`.
    /// - Parameters:
    ///   - option: the `ZMQ_*` option.
    ///   - value: the value.
    /// - Throws: `ZMQError` (`EINVAL` for an unknown option or a value out of range).
    public func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        try check(zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size), "zmq_setsockopt(\(option))")
    }

    /// Sets an `int64_t` option such as `ZMQ_MAXMSGSIZE`.
    /// - Parameters:
    ///   - option: the `ZMQ_*` option.
    ///   - value: the value.
    /// - Throws: `ZMQError`.
    public func setOption(_ option: Int32, int64 value: Int64) throws(ZMQError) {
        var value = value
        try check(zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size), "zmq_setsockopt(\(option))")
    }

    /// Sets a binary option such as `ZMQ_ROUTING_ID` or `ZMQ_SUBSCRIBE`.
    /// - Parameters:
    ///   - option: the `ZMQ_*` option.
    ///   - bytes: the value.
    /// - Throws: `ZMQError`.
    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
        let result = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        try check(result, "zmq_setsockopt(\(option))")
    }

    /// Reads an `int` option.
    /// - Parameter option: the `ZMQ_*` option.
    /// - Returns: its value.
    /// - Throws: `ZMQError`.
    public func int32Option(_ option: Int32) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try check(zmq_getsockopt(handle, option, &value, &size), "zmq_getsockopt(\(option))")
        return value
    }

    /// Subscribes a SUB socket to messages whose first frame starts with `prefix` (all messages by default).
    /// - Parameter prefix: the prefix.
    /// - Throws: `ZMQError`.
    public func subscribe(prefix: [UInt8] = []) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: prefix)
    }

    /// Publishes this socket's connection events on an inproc PAIR endpoint (`zmq_socket_monitor`).
    /// - Parameters:
    ///   - endpoint: an `inproc://` endpoint to bind, unique in the context; nil stops monitoring.
    ///   - events: a mask of `ZMQ_EVENT_*`.
    /// - Throws: `ZMQError`.
    public func monitor(endpoint: String?, events: Int32) throws(ZMQError) {
        try check(zmq_socket_monitor(handle, endpoint, events), "zmq_socket_monitor(\(endpoint ?? "stop"))")
    }

    /// Throws the last libzmq error when `result` is negative.
    func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(ZMQError) {
        if result < 0 { throw ZMQError.last(operation()) }
    }
}
