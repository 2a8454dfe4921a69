// A send an async caller handed to the socket loop, with the continuation that reports its outcome.

import VRTransport

/// The messages an async caller asked the loop to send in order, with the continuation that reports the outcome.
struct SendRequest {
    let id: UInt64
    let socket: ZMQSocket
    /// The ROUTER destination, or nil for DEALER and PUB sockets.
    let peer: PeerID?
    /// At least one message, sent in order.
    let messages: [Multipart]
    /// How many of `messages` libzmq has taken so far.
    var sentCount = 0
    let deadline: ContinuousClock.Instant
    let timeoutHint: String
    let completion: CheckedContinuation<Result<Void, TransportError>, Never>

    func complete(_ result: Result<Void, TransportError>) {
        completion.resume(returning: result)
    }
}
