// The one thread that owns a transport's sockets: it polls them, receives into queues and performs all sends.

import CZeroMQ
import Foundation
import Synchronization
import VRCore
import VRTransport

/// What a transport's sockets do on their loop thread.
protocol SocketLoopHandler: AnyObject {
    /// The sockets to poll for input now (those whose receive queue has room, and monitors).
    func readableSockets() -> [ZMQSocket]
    /// Reads what `socket` has queued, a bounded number of messages at a time.
    func receive(from socket: ZMQSocket)
    /// Fails waiting receivers with `.closed` and closes every socket (the loop then terminates the context).
    func shutDown()
}

/// A dedicated thread that owns every socket of one transport (STACK.md section 1).
///
/// libzmq sockets are not thread-safe and blocking calls must stay off the Swift cooperative pool, so async
/// callers never touch a socket: `submit` puts a send request in a locked mailbox and wakes the thread through
/// a pipe; the thread sends with `ZMQ_DONTWAIT`, retries lanes that meet the high-water mark with backoff, and
/// resumes the caller with the outcome. Received messages go into bounded `MessageQueue`s; a socket is only
/// polled for input while its queue has room, so a slow consumer pushes back on the peer through libzmq's
/// receive high-water mark instead of growing memory.
final class SocketLoop: @unchecked Sendable {
    private struct Mailbox {
        var requests: [SendRequest] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var isStopping = false
        var isFinished = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The longest poll (1 s): a safety net only; every state change signals the waker.
    private static let maximumPollMilliseconds = 1_000

    private let context: ZMQContext
    private let handler: any SocketLoopHandler
    private let waker: Waker
    private let mailbox = Mutex(Mailbox())
    /// Confined to the loop thread.
    private var outbox = Outbox()

    init(context: ZMQContext, handler: any SocketLoopHandler, waker: Waker) {
        self.context = context
        self.handler = handler
        self.waker = waker
    }

    /// Starts the thread.
    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Hands messages to the loop and waits until libzmq took them all, or a send failed.
    ///
    /// One submission costs one wake-up of the loop thread however many messages it holds, so callers that send
    /// a sequence (the chunks of a snapshot) should submit it whole.
    func submit(
        _ messages: [Multipart], on socket: ZMQSocket, to peer: PeerID?, timeout: Duration, timeoutHint: String
    ) async throws(TransportError) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let id = mailbox.withLock { mailbox in
            mailbox.nextID += 1
            return mailbox.nextID
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, TransportError>, Never>) in
                let rejection = mailbox.withLock { mailbox -> TransportError? in
                    if mailbox.isStopping { return .closed() }
                    if Task.isCancelled { return .cancelled() }
                    mailbox.requests.append(
                        SendRequest(
                            id: id, socket: socket, peer: peer, messages: messages, deadline: deadline,
                            timeoutHint: timeoutHint, completion: continuation))
                    return nil
                }
                if let rejection {
                    continuation.resume(returning: .failure(rejection))
                } else {
                    waker.signal()
                }
            }
        } onCancel: {
            mailbox.withLock { _ = $0.cancelled.insert(id) }
            waker.signal()
        }
        try result.get()
    }

    /// Stops the thread, closes the sockets and terminates the context; returns when all that is done.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = mailbox.withLock { mailbox in
                if mailbox.isFinished { return true }
                mailbox.isStopping = true
                mailbox.closeWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() } else { waker.signal() }
        }
    }

    /// Asks the thread to stop without waiting (for `deinit`).
    func requestStop() {
        mailbox.withLock { $0.isStopping = true }
        waker.signal()
    }

    // MARK: - The loop thread

    private func run() {
        let clock = ContinuousClock()
        while true {
            let (requests, cancelled, isStopping) = mailbox.withLock { mailbox in
                defer {
                    mailbox.requests.removeAll()
                    mailbox.cancelled.removeAll()
                }
                return (mailbox.requests, mailbox.cancelled, mailbox.isStopping)
            }
            for request in requests { outbox.add(request) }
            outbox.cancel(cancelled)
            if isStopping { break }
            outbox.flush(now: clock.now)
            if !poll(timeout: outbox.nextWake(after: clock.now)) { break }
        }
        shutDown()
    }

    /// Waits for input, a wake-up or the timeout, then receives; returns false when the context is gone.
    private func poll(timeout: Duration?) -> Bool {
        let sockets = handler.readableSockets()
        var items = [zmq_pollitem_t(socket: nil, fd: waker.readDescriptor, events: Int16(ZMQ_POLLIN), revents: 0)]
        items += sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let milliseconds =
            timeout.map { Int(clamping: max(0, $0.roundedUpMilliseconds)) } ?? Self.maximumPollMilliseconds
        let count = zmq_poll(&items, Int32(items.count), min(milliseconds, Self.maximumPollMilliseconds))
        if count < 0 { return zmq_errno() != ETERM }
        if items[0].revents != 0 { waker.drain() }
        for (index, socket) in sockets.enumerated() where items[index + 1].revents & Int16(ZMQ_POLLIN) != 0 {
            handler.receive(from: socket)
        }
        return true
    }

    private func shutDown() {
        handler.shutDown()
        outbox.failAll(.closed())
        let stragglers = mailbox.withLock { mailbox in
            defer { mailbox.requests.removeAll() }
            return mailbox.requests
        }
        for request in stragglers { request.complete(.failure(.closed())) }
        // Blocks for at most the linger time while libzmq delivers what callers were told was sent.
        context.terminate()
        waker.close()
        let waiters = mailbox.withLock { mailbox in
            mailbox.isFinished = true
            defer { mailbox.closeWaiters.removeAll() }
            return mailbox.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

}
