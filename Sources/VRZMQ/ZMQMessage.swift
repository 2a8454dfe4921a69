// A zmq_msg_t on the heap, owned by a class so that it is never copied by value.

import CZeroMQ
import VRTransport

/// A libzmq message (`zmq_msg_t`), heap-allocated and owned by this object.
///
/// libzmq messages must never be copied bitwise, and a Swift struct can be copied implicitly, hence a class
/// that owns `UnsafeMutablePointer<zmq_msg_t>`. `deinit` closes it, which releases a zero-copy buffer.
public final class ZMQMessage: @unchecked Sendable {
    /// Frames of at least this many bytes are sent and received without copying (64 KiB: below it a copy is
    /// cheaper than the extra allocation and callback; above it the copy dominates).
    public static let zeroCopyThreshold = 64 << 10

    /// The message; `let`, so calls pay no exclusivity check.
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// Creates an empty message to receive into.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    /// Creates a message that shares `bytes` with libzmq without copying them.
    ///
    /// libzmq retains `bytes` through the `hint` of `zmq_msg_init_data` and releases it from a capture-free C
    /// callback once the message is sent and freed, on a libzmq I/O thread (tcp) or wherever the receiver
    /// closes it (inproc), which is why `SharedBytes` is immutable and its `deinit` thread-safe.
    /// - Parameter bytes: the buffer to send.
    /// - Throws: `ZMQError` when libzmq cannot allocate the message.
    public init(sharing bytes: SharedBytes) throws(ZMQError) {
        pointer = .allocate(capacity: 1)
        let hint = Unmanaged.passRetained(bytes).toOpaque()
        let result = zmq_msg_init_data(
            pointer, bytes.baseAddress, bytes.count,
            { _, hint in
                guard let hint else { return }
                Unmanaged<SharedBytes>.fromOpaque(hint).release()
            }, hint)
        if result != 0 {
            Unmanaged<SharedBytes>.fromOpaque(hint).release()
            zmq_msg_init(pointer)
            throw ZMQError.last("zmq_msg_init_data")
        }
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The number of bytes.
    public var count: Int {
        zmq_msg_size(pointer)
    }

    /// Whether more frames of the same multipart message follow this one (after a receive).
    public var hasMore: Bool {
        zmq_msg_more(pointer) != 0
    }

    /// The file descriptor of the connection the message arrived on, or -1 (`ZMQ_SRCFD`).
    public var sourceDescriptor: Int32 {
        zmq_msg_get(pointer, ZMQ_SRCFD)
    }

    /// Calls `body` with the bytes, which may be unaligned; the pointer must not escape the closure.
    /// - Parameter body: reads the bytes.
    /// - Returns: what `body` returns.
    /// - Throws: whatever `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: count))
    }

    /// Turns a received message into a frame: large ones are adopted without copying (this message is then
    /// owned by the frame and must not be reused), small ones are copied.
    /// - Returns: the frame.
    public func consumeIntoFrame() -> Frame {
        let count = count
        if count >= Self.zeroCopyThreshold, let data = zmq_msg_data(pointer) {
            return Frame(SharedBytes(adopting: data, count: count, owner: self))
        }
        return withUnsafeBytes { Frame(SharedBytes(copying: $0)) }
    }
}
