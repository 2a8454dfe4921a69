// L -> W: the answer to a valid rollout batch (rollout.proto `BatchAck`).

/// The learner's receipt for a batch: what it did with it and its parameter version at the time.
public struct BatchAck: Sendable, Equatable {
    /// What the learner did with a valid batch.
    public enum Status: Sendable, Hashable, CaseIterable {
        /// Queued for training.
        case accepted
        /// Already received (same worker id and batch sequence); dropped.
        case duplicate
        /// Lag over the learner's hard maximum; dropped, and its questions are handed out again.
        case stale
    }

    /// The acknowledged ``RolloutBatch/batchSequence``.
    public var batchSequence: UInt64
    /// What happened to the batch.
    public var status: Status
    /// The learner's parameter version when it received the batch.
    public var parameterVersion: UInt64
    /// Why a batch was not trained, naming the field; empty when accepted (and from learners before revision 3).
    public var detail: String

    /// Creates an acknowledgement.
    /// - Parameters:
    ///   - batchSequence: the acknowledged batch's sequence number.
    ///   - status: what happened to the batch.
    ///   - parameterVersion: the learner's parameter version when it received the batch.
    ///   - detail: why a batch was not trained, naming the field; empty when accepted.
    public init(batchSequence: UInt64, status: Status, parameterVersion: UInt64, detail: String = "") {
        self.batchSequence = batchSequence
        self.status = status
        self.parameterVersion = parameterVersion
        self.detail = detail
    }
}

// MARK: - Wire conversion

extension BatchAck {
    init(wire: Vr_V1_BatchAck, validator: WireValidator) throws(WireError) {
        let status: Status
        switch wire.status {
        case .accepted: status = .accepted
        case .duplicate: status = .duplicate
        case .stale: status = .stale
        case .unspecified: throw WireError(.missingField, "BatchAck.status is unspecified")
        case .UNRECOGNIZED(let raw): throw WireError(.invalidValue, "BatchAck.status has unknown value \(raw)")
        }
        self.init(
            batchSequence: try validator.nonZero(wire.batchSequence, "BatchAck.batch_sequence"), status: status,
            parameterVersion: wire.parameterVersion, detail: try validator.text(wire.detail, "BatchAck.detail"))
    }

    var wire: Vr_V1_BatchAck {
        var wire = Vr_V1_BatchAck()
        wire.batchSequence = batchSequence
        wire.status =
            switch status {
            case .accepted: .accepted
            case .duplicate: .duplicate
            case .stale: .stale
            }
        wire.parameterVersion = parameterVersion
        wire.detail = detail
        return wire
    }
}
