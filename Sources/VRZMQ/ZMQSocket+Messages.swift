// Sending and receiving frames and multipart messages on a ZMQSocket, with zero-copy for large frames.

import CZeroMQ
import VRTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ZMQSocket {
    /// Sends one frame; frames of at least `ZMQMessage.zeroCopyThreshold` bytes are shared, not copied.
    /// - Parameters:
    ///   - frame: the bytes.
    ///   - more: whether more frames of the same message follow (`ZMQ_SNDMORE`).
    ///   - dontWait: return false instead of blocking when the high-water mark is reached (`ZMQ_DONTWAIT`).
    /// - Returns: true when queued; false only with `dontWait` when the socket cannot take it now.
    /// - Throws: `ZMQError` (`EHOSTUNREACH` from a ROUTER with `ZMQ_ROUTER_MANDATORY`, ...).
    @discardableResult
    public func send(_ frame: Frame, more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        if frame.count >= ZMQMessage.zeroCopyThreshold {
            return try send(ZMQMessage(sharing: frame.storage), flags: flags)
        }
        return try frame.withUnsafeBytes { (bytes) throws(ZMQError) -> Bool in try send(bytes: bytes, flags: flags) }
    }

    /// Sends a copy of raw bytes as one frame.
    /// - Parameters:
    ///   - bytes: the bytes, copied before the call returns.
    ///   - flags: `ZMQ_SNDMORE` and/or `ZMQ_DONTWAIT`.
    /// - Returns: true when queued; false when `ZMQ_DONTWAIT` is set and the socket cannot take it now.
    /// - Throws: `ZMQError`.
    public func send(bytes: UnsafeRawBufferPointer, flags: Int32) throws(ZMQError) -> Bool {
        while true {
            if zmq_send(handle, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return false }
            throw ZMQError(code: code, operation: "zmq_send")
        }
    }

    /// Sends a message object; on success libzmq takes its content and leaves it empty.
    /// - Parameters:
    ///   - message: the message.
    ///   - flags: `ZMQ_SNDMORE` and/or `ZMQ_DONTWAIT`.
    /// - Returns: true when queued; false when `ZMQ_DONTWAIT` is set and the socket cannot take it now.
    /// - Throws: `ZMQError`.
    public func send(_ message: ZMQMessage, flags: Int32) throws(ZMQError) -> Bool {
        while true {
            if zmq_msg_send(message.pointer, handle, flags) >= 0 { return true }
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return false }
            throw ZMQError(code: code, operation: "zmq_msg_send")
        }
    }

    /// Sends a multipart message atomically: if the first frame is taken, libzmq takes them all.
    /// - Parameters:
    ///   - frames: at least one frame.
    ///   - dontWait: return false instead of blocking at the high-water mark.
    /// - Returns: true when queued; false only with `dontWait` when nothing was sent.
    /// - Throws: `ZMQError`.
    @discardableResult
    public func send(_ frames: Multipart, dontWait: Bool = false) throws(ZMQError) -> Bool {
        precondition(!frames.isEmpty, "a multipart message needs at least one frame")
        guard let first = frames.first, try send(first, more: frames.count > 1, dontWait: dontWait) else {
            return false
        }
        try sendRemainder(frames.dropFirst())
        return true
    }

    /// Sends a multipart message through a ROUTER to the peer with `routingID`, atomically.
    /// - Parameters:
    ///   - frames: at least one frame.
    ///   - routingID: the peer's identity, sent as the first frame and consumed by the ROUTER.
    ///   - dontWait: return false instead of blocking when the peer's queue is full.
    /// - Returns: true when queued; false only with `dontWait` when nothing was sent.
    /// - Throws: `ZMQError` (`EHOSTUNREACH` for an unknown peer with `ZMQ_ROUTER_MANDATORY`).
    @discardableResult
    public func send(_ frames: Multipart, routingID: [UInt8], dontWait: Bool = false) throws(ZMQError) -> Bool {
        precondition(!frames.isEmpty, "a multipart message needs at least one frame")
        let flags = ZMQ_SNDMORE | (dontWait ? ZMQ_DONTWAIT : 0)
        let taken = routingID.withUnsafeBytes { bytes in
            Result { () throws(ZMQError) -> Bool in try send(bytes: bytes, flags: flags) }
        }
        guard try taken.get() else { return false }
        try sendRemainder(frames[...])
        return true
    }

    /// Sends the frames after the first of a message the socket already accepted.
    ///
    /// libzmq checks the high-water mark on the first frame only and then takes the whole message, so these
    /// sends never block; they are sent without `ZMQ_DONTWAIT` so that a message is never cut short.
    private func sendRemainder(_ frames: ArraySlice<Frame>) throws(ZMQError) {
        for (offset, frame) in frames.enumerated() {
            try send(frame, more: offset < frames.count - 1, dontWait: false)
        }
    }

    /// Receives one frame.
    /// - Parameter dontWait: return nil instead of blocking when nothing is queued.
    /// - Returns: the frame, or nil with `dontWait` when nothing is queued.
    /// - Throws: `ZMQError` (`ETERM` once the context is terminating).
    public func receiveFrame(dontWait: Bool = false) throws(ZMQError) -> ReceivedFrame? {
        let message = ZMQMessage()
        while zmq_msg_recv(message.pointer, handle, dontWait ? ZMQ_DONTWAIT : 0) < 0 {
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return nil }
            throw ZMQError(code: code, operation: "zmq_msg_recv")
        }
        let hasMore = message.hasMore
        let descriptor = message.sourceDescriptor
        return ReceivedFrame(frame: message.consumeIntoFrame(), hasMore: hasMore, sourceDescriptor: descriptor)
    }

    /// Receives all frames of one multipart message.
    /// - Parameter dontWait: return nil instead of blocking when nothing is queued.
    /// - Returns: the frames and the descriptor of the connection they came on, or nil with `dontWait`.
    /// - Throws: `ZMQError`.
    public func receiveMultipart(
        dontWait: Bool = false
    ) throws(ZMQError) -> (frames: Multipart, sourceDescriptor: Int32)? {
        guard var part = try receiveFrame(dontWait: dontWait) else { return nil }
        var frames = [part.frame]
        var descriptor = part.sourceDescriptor
        while part.hasMore {
            // The rest of a multipart message is already queued once its first frame arrived.
            guard let next = try receiveFrame(dontWait: false) else { break }
            part = next
            frames.append(part.frame)
            descriptor = max(descriptor, part.sourceDescriptor)
        }
        return (frames, descriptor)
    }
}
