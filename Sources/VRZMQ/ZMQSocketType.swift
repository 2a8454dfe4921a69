// The libzmq socket types the project uses, as a Swift enum.

import CZeroMQ

/// A libzmq socket type.
public enum ZMQSocketType: Sendable, CaseIterable {
    /// One-to-one, used for monitor sockets.
    case pair
    /// Broadcasts to subscribers; drops for slow ones.
    case publisher
    /// Receives a publisher's messages that match its subscriptions.
    case subscriber
    /// Asynchronous requests to one of its connected peers (the worker's request channel).
    case dealer
    /// Routes by identity to many peers (the learner's request channel).
    case router
    /// Load-balanced one-way sends.
    case push
    /// Fair-queued one-way receives.
    case pull
    /// Answers one request at a time (the ZAP authentication handler).
    case reply

    /// The libzmq constant (`ZMQ_PAIR`, `ZMQ_PUB`, ...).
    public var rawValue: Int32 {
        switch self {
        case .pair: ZMQ_PAIR
        case .publisher: ZMQ_PUB
        case .subscriber: ZMQ_SUB
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .reply: ZMQ_REP
        }
    }
}
