// The baseline: the same broadcast through direct libzmq calls, one PUB and one SUB per subscriber thread.

import CZeroMQ
import Foundation
import VRCore
import VRTransport
import VRZMQ

/// A PUB socket and `subscriberCount` SUB sockets driven by plain `zmq_*` calls, the baseline for the transport.
///
/// Each SUB has a context of its own (one I/O thread, as each worker transport has) and is read by a thread of
/// its own with blocking `zmq_msg_recv`; the PUB sends with `zmq_msg_init_data` (zero copy) for frames of at
/// least `ZMQMessage.zeroCopyThreshold` bytes and `zmq_send` for the small header frames. High-water marks and
/// linger are the transport's, so both paths buffer the same number of messages.
///
/// Not thread-safe: create it, broadcast and close it from one thread at a time, never on the cooperative pool.
final class BroadcastRawCluster: @unchecked Sendable {
    private let publisherContext: UnsafeMutableRawPointer
    private let publisher: UnsafeMutableRawPointer
    private let subscriberContexts: [UnsafeMutableRawPointer]
    private let subscribers: [UnsafeMutableRawPointer]

    /// Binds the PUB to an ephemeral loopback port and connects every SUB to it.
    /// - Parameters:
    ///   - subscriberCount: the number of SUB sockets.
    ///   - configuration: the transport settings whose high-water marks and linger the sockets copy.
    ///   - receiveTimeout: how long a SUB waits for a frame before its run fails (`ZMQ_RCVTIMEO`).
    /// - Throws: `BroadcastError` when libzmq refuses a socket, an option or the endpoint.
    init(
        subscriberCount: Int, configuration: TransportConfiguration, receiveTimeout: Duration
    ) throws(BroadcastError) {
        let hwm = HighWaterMark.messages(
            budgetBytes: configuration.sendHighWaterMarkBytes, messageBytes: configuration.publishMessageBytes)
        let receiveHWM = HighWaterMark.messages(
            budgetBytes: configuration.receiveHighWaterMarkBytes, messageBytes: configuration.publishMessageBytes)
        let linger = Int32(configuration.lingerMilliseconds)
        let timeoutMilliseconds = Int32(clamping: max(1, receiveTimeout.wholeMilliseconds))
        (publisherContext, publisher) = try Self.socket(ZMQ_PUB, options: [(ZMQ_LINGER, linger), (ZMQ_SNDHWM, hwm)])
        var contexts: [UnsafeMutableRawPointer] = []
        var sockets: [UnsafeMutableRawPointer] = []
        do throws(BroadcastError) {
            try Self.check(zmq_bind(publisher, "tcp://127.0.0.1:*"), "zmq_bind")
            let endpoint = try Self.lastEndpoint(of: publisher)
            for _ in 0..<subscriberCount {
                let (context, socket) = try Self.socket(
                    ZMQ_SUB,
                    options: [(ZMQ_LINGER, linger), (ZMQ_RCVHWM, receiveHWM), (ZMQ_RCVTIMEO, timeoutMilliseconds)])
                contexts.append(context)
                sockets.append(socket)
                try Self.check(zmq_setsockopt(socket, ZMQ_SUBSCRIBE, nil, 0), "zmq_setsockopt(ZMQ_SUBSCRIBE)")
                try Self.check(zmq_connect(socket, endpoint), "zmq_connect(\(endpoint))")
            }
        } catch {
            Self.close(sockets + [publisher], contexts: contexts + [publisherContext])
            throw error
        }
        subscriberContexts = contexts
        subscribers = sockets
    }

    /// Broadcasts the payload once and waits until every subscriber has it or its receive timed out.
    /// - Parameters:
    ///   - payload: the snapshot.
    ///   - parameterVersion: the version the headers carry, new for every run.
    /// - Returns: the elapsed time and what each subscriber received.
    /// - Throws: `BroadcastError` when a send fails or a subscriber times out or receives a stray message.
    func broadcast(
        _ payload: BroadcastPayload, parameterVersion: UInt64
    ) throws(BroadcastError) -> BroadcastRun<BroadcastRawMessage> {
        let messages = payload.messages(parameterVersion: parameterVersion)
        let progress = BroadcastProgress(subscriberCount: subscribers.count)
        let outcomes = BroadcastRawOutcomes(subscriberCount: subscribers.count)
        for (index, socket) in subscribers.enumerated() {
            let receiver = BroadcastRawReceiver(
                socket: socket, index: index, parameterVersion: parameterVersion, progress: progress)
            Thread { outcomes.store(receiver.run(), at: index) }.start()
        }
        // 1. probe until every SUB is connected and subscribed (PUB drops messages for late joiners)
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        var start = ContinuousClock.now
        var sendError: BroadcastError?
        do throws(BroadcastError) {
            while !progress.allProbed && !outcomes.anyFinished {
                try send(BroadcastPayload.probe, using: message)
                usleep(2_000)
            }
            // 2. the timed part: every frame of every message
            start = ContinuousClock.now
            for frames in messages { try send(frames, using: message) }
        } catch {
            sendError = error  // the receivers give up within their timeout
        }
        // 3. wait for the last subscriber
        let completions = Result { () throws(BroadcastError) in try outcomes.waitForAll() }
        if let sendError { throw sendError }
        return BroadcastRun(start: start, completions: try completions.get())
    }

    /// Closes every socket and terminates every context (blocks up to the linger time).
    func close() {
        Self.close(subscribers + [publisher], contexts: subscriberContexts + [publisherContext])
    }

    // MARK: - Sending

    private func send(_ frames: Multipart, using message: UnsafeMutablePointer<zmq_msg_t>) throws(BroadcastError) {
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            if frame.count >= ZMQMessage.zeroCopyThreshold {
                // Zero copy: libzmq keeps the buffer alive through the retained hint until the bytes are sent.
                let hint = Unmanaged.passRetained(frame.storage).toOpaque()
                let initialised = zmq_msg_init_data(
                    message, frame.storage.baseAddress, frame.count,
                    { _, hint in hint.map { Unmanaged<SharedBytes>.fromOpaque($0).release() } }, hint)
                guard initialised == 0 else {
                    Unmanaged<SharedBytes>.fromOpaque(hint).release()
                    throw Self.lastError("zmq_msg_init_data")
                }
                do {
                    try Self.retrying("zmq_msg_send") { zmq_msg_send(message, publisher, flags) }
                } catch {
                    zmq_msg_close(message)  // a refused message still holds the buffer; a sent one is empty
                    throw error
                }
            } else {
                try frame.withUnsafeBytes { (bytes) throws(BroadcastError) in
                    try Self.retrying("zmq_send") { zmq_send(publisher, bytes.baseAddress, bytes.count, flags) }
                }
            }
        }
    }

    // MARK: - libzmq helpers

    private static func socket(
        _ type: Int32, options: [(Int32, Int32)]
    ) throws(BroadcastError) -> (context: UnsafeMutableRawPointer, socket: UnsafeMutableRawPointer) {
        guard let context = zmq_ctx_new() else { throw lastError("zmq_ctx_new") }
        guard let socket = zmq_socket(context, type) else {
            let error = lastError("zmq_socket")
            zmq_ctx_term(context)
            throw error
        }
        for (option, value) in options {
            var value = value
            let result = zmq_setsockopt(socket, option, &value, MemoryLayout<Int32>.size)
            guard result == 0 else {
                let error = lastError("zmq_setsockopt(\(option))")
                close([socket], contexts: [context])
                throw error
            }
        }
        return (context, socket)
    }

    private static func lastEndpoint(of socket: UnsafeMutableRawPointer) throws(BroadcastError) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        try check(zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size), "zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func close(_ sockets: [UnsafeMutableRawPointer], contexts: [UnsafeMutableRawPointer]) {
        for socket in sockets { zmq_close(socket) }
        for context in contexts {
            while zmq_ctx_term(context) != 0 && zmq_errno() == EINTR {}
        }
    }

    /// Repeats a call interrupted by a signal; throws for any other failure.
    private static func retrying(_ operation: String, _ call: () -> Int32) throws(BroadcastError) {
        while call() < 0 {
            if zmq_errno() != EINTR { throw lastError(operation) }
        }
    }

    static func check(_ result: Int32, _ operation: String) throws(BroadcastError) {
        if result != 0 { throw lastError(operation) }
    }

    static func lastError(_ operation: String) -> BroadcastError {
        let code = zmq_errno()
        return BroadcastError("raw path: \(operation) failed: \(String(cString: zmq_strerror(code))) (errno \(code))")
    }
}
