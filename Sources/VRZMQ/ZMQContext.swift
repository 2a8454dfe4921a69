// A libzmq context: the I/O threads behind every socket of one transport.

import CZeroMQ
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libzmq context, which is thread-safe and kept alive by each of its sockets.
///
/// `terminate()` blocks until every socket of the context is closed and its linger time has passed, so call it
/// from a thread of your own, never from the Swift cooperative pool; `deinit` terminates the context too.
public final class ZMQContext: @unchecked Sendable {
    /// The `void *` libzmq context.
    public let handle: UnsafeMutableRawPointer
    private let isTerminated = Mutex(false)

    /// Creates a context.
    /// - Parameter ioThreads: libzmq I/O threads (default 1; STACK.md measured no gain from 2 on loopback).
    /// - Throws: `ZMQError` when libzmq cannot create one (out of file descriptors or memory).
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) != 0 {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))")
            zmq_ctx_term(handle)
            throw error
        }
    }

    deinit {
        terminate()
    }

    /// Terminates the context once all its sockets are closed and their linger time has passed; idempotent.
    ///
    /// Blocks: never call it on the Swift cooperative pool.
    public func terminate() {
        let alreadyTerminated = isTerminated.withLock { terminated in
            defer { terminated = true }
            return terminated
        }
        guard !alreadyTerminated else { return }
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
