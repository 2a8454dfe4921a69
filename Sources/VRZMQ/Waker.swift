// A self-pipe that wakes a socket loop blocked in zmq_poll from any thread.

import Synchronization
import VRTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes a thread blocked in `zmq_poll` from any thread: a non-blocking pipe whose read end the loop polls.
///
/// A pipe rather than an inproc socket pair because a write to a pipe is thread-safe, whereas the sending end
/// of a socket pair would need a lock of its own. Writes after `close()` are ignored, so a late wake-up never
/// writes to a descriptor number the process has reused.
final class Waker: Sendable {
    /// The end the loop polls (`zmq_pollitem_t.fd`).
    let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let isClosed = Mutex(false)

    init() throws(TransportError) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw TransportError(
                .system(errno), hint: "could not create a wake-up pipe; raise the file descriptor limit")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        close()
    }

    /// Makes the read end readable; a full pipe already is, so a failed write is fine.
    func signal() {
        isClosed.withLock { closed in
            guard !closed else { return }
            var byte: UInt8 = 1
            _ = write(writeDescriptor, &byte, 1)
        }
    }

    /// Empties the pipe (loop thread only).
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }

    /// Closes both ends; later signals do nothing.
    func close() {
        isClosed.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = systemClose(readDescriptor)
            _ = systemClose(writeDescriptor)
        }
    }
}

/// The C library's `close`, which `Waker.close()` shadows.
private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
