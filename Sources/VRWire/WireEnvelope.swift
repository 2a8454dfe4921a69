// A decoded, validated message together with the id of the peer that sent it.

/// What ``WireCodec/decode(_:)`` returns: the sender's id and its message.
public struct WireEnvelope: Sendable, Equatable {
    /// The sender's id from the envelope (worker id or learner instance id).
    public var senderID: String
    /// The message.
    public var message: WireMessage

    /// Creates an envelope.
    /// - Parameters:
    ///   - senderID: the sender's id.
    ///   - message: the message.
    public init(senderID: String, message: WireMessage) {
        self.senderID = senderID
        self.message = message
    }
}
