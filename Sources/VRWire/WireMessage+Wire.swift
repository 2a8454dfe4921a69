// Conversions between WireMessage and the generated Envelope body.

extension WireMessage {
    /// Converts a body received from an untrusted peer, with the payload frame of a snapshot chunk.
    init(body: Vr_V1_Envelope.OneOf_Body, payload: [UInt8]?, validator: WireValidator) throws(WireError) {
        switch body {
        case .hello(let wire): self = .hello(try WorkerHello(wire: wire, validator: validator))
        case .welcome(let wire): self = .welcome(try Welcome(wire: wire, validator: validator))
        case .heartbeat(let wire): self = .heartbeat(Heartbeat(wire: wire))
        case .goodbye(let wire): self = .goodbye(try Goodbye(wire: wire, validator: validator))
        case .errorReply(let wire): self = .errorReply(try ErrorReply(wire: wire, validator: validator))
        case .workRequest(let wire): self = .workRequest(try WorkRequest(wire: wire, validator: validator))
        case .workAssignment(let wire): self = .workAssignment(try WorkAssignment(wire: wire, validator: validator))
        case .rolloutBatch(let wire): self = .rolloutBatch(try RolloutBatch(wire: wire, validator: validator))
        case .batchAck(let wire): self = .batchAck(try BatchAck(wire: wire, validator: validator))
        case .parameterAnnouncement(let wire):
            self = .parameterAnnouncement(try ParameterAnnouncement(wire: wire, validator: validator))
        case .snapshotRequest(let wire): self = .snapshotRequest(SnapshotRequest(wire: wire))
        case .snapshotChunk(let wire):
            guard let payload else { throw WireError(.malformedFrame, "SnapshotChunk without its payload frame") }
            self = .snapshotChunk(try SnapshotChunk(wire: wire, payload: payload, validator: validator))
        }
    }

    /// The ``name`` of the message an envelope body carries.
    static func name(of body: Vr_V1_Envelope.OneOf_Body) -> String {
        switch body {
        case .hello: "Hello"
        case .welcome: "Welcome"
        case .heartbeat: "Heartbeat"
        case .goodbye: "Goodbye"
        case .errorReply: "ErrorReply"
        case .workRequest: "WorkRequest"
        case .workAssignment: "WorkAssignment"
        case .rolloutBatch: "RolloutBatch"
        case .batchAck: "BatchAck"
        case .parameterAnnouncement: "ParameterAnnouncement"
        case .snapshotRequest: "SnapshotRequest"
        case .snapshotChunk: "SnapshotChunk"
        }
    }

    /// The envelope body, and the raw payload frame that follows it for a snapshot chunk.
    var body: (body: Vr_V1_Envelope.OneOf_Body, payload: [UInt8]?) {
        switch self {
        case .hello(let message): (.hello(message.wire), nil)
        case .welcome(let message): (.welcome(message.wire), nil)
        case .heartbeat(let message): (.heartbeat(message.wire), nil)
        case .goodbye(let message): (.goodbye(message.wire), nil)
        case .errorReply(let message): (.errorReply(message.wire), nil)
        case .workRequest(let message): (.workRequest(message.wire), nil)
        case .workAssignment(let message): (.workAssignment(message.wire), nil)
        case .rolloutBatch(let message): (.rolloutBatch(message.wire), nil)
        case .batchAck(let message): (.batchAck(message.wire), nil)
        case .parameterAnnouncement(let message): (.parameterAnnouncement(message.wire), nil)
        case .snapshotRequest(let message): (.snapshotRequest(message.wire), nil)
        case .snapshotChunk(let message): (.snapshotChunk(message.wire), message.payload)
        }
    }
}
