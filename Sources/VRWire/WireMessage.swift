// Every message of the vr.v1 protocol as a domain value (the body of an envelope).

/// One protocol message, without protobuf types; ``WireCodec`` turns it into frames and back.
public enum WireMessage: Sendable, Equatable {
    /// W -> L: the first message of a session.
    case hello(WorkerHello)
    /// L -> W: the answer to a hello.
    case welcome(Welcome)
    /// Either way: liveness.
    case heartbeat(Heartbeat)
    /// W -> L: the worker leaves.
    case goodbye(Goodbye)
    /// Either way: the answer to an invalid message.
    case errorReply(ErrorReply)
    /// W -> L: credits for more questions.
    case workRequest(WorkRequest)
    /// L -> W: questions to work on.
    case workAssignment(WorkAssignment)
    /// W -> L: sampled and scored traces.
    case rolloutBatch(RolloutBatch)
    /// L -> W: the receipt for a valid batch.
    case batchAck(BatchAck)
    /// L -> W: a parameter version and the shape of its snapshot.
    case parameterAnnouncement(ParameterAnnouncement)
    /// W -> L: a request for the full current parameters.
    case snapshotRequest(SnapshotRequest)
    /// L -> W: one chunk of a snapshot; its payload travels as a second frame.
    case snapshotChunk(SnapshotChunk)

    /// The message's name in `Protos/` (for example `"RolloutBatch"`), for logs, metrics and error reasons.
    public var name: String { Self.name(of: body.body) }
}
