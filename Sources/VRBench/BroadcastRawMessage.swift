// A zmq_msg_t received by the raw-libzmq path, kept on the heap and closed when the last reference goes.

import CZeroMQ

/// One frame received with `zmq_msg_recv`, owned by this object so that it is never copied or moved.
///
/// libzmq allocates large frames once and hands them over, so keeping the message until the run is checked
/// costs no copy, as the transport's zero-copy `Frame`s do.
final class BroadcastRawMessage: BroadcastReceivedFrame, @unchecked Sendable {
    /// The message; initialised empty, filled by one `zmq_msg_recv`, never touched again after that.
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// Creates an empty message to receive into.
    init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The number of bytes.
    var count: Int { zmq_msg_size(pointer) }

    /// Whether more frames of the same message follow.
    var hasMore: Bool { zmq_msg_more(pointer) != 0 }

    func withReceivedBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: count))
    }
}
