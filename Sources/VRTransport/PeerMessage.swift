// A message the learner received, with the identity of the worker that sent it.

/// A multipart message and the worker that sent it.
public struct PeerMessage: Sendable, Equatable {
    /// The sending worker; reply to it with `LearnerTransport.send(_:to:)`.
    public var peer: PeerID
    /// The message's frames, in order.
    public var frames: Multipart

    /// Pairs a message with its sender.
    /// - Parameters:
    ///   - peer: the sending worker.
    ///   - frames: the message's frames.
    public init(peer: PeerID, frames: Multipart) {
        self.peer = peer
        self.frames = frames
    }
}
