// The answer to an invalid message (control.proto `ErrorReply`); never answered itself.

/// Tells a peer why its message was rejected, in the czmq `Invalid{reason}` style.
public struct ErrorReply: Sendable, Equatable {
    /// What kind of problem was found.
    ///
    /// Wire-level codes mirror ``WireError/Code``; the others come from the learner's session logic.
    public enum Code: Sendable, Hashable {
        /// Frames or bytes that do not parse.
        case malformedFrame
        /// The envelope's major protocol version is not the receiver's.
        case unsupportedVersion
        /// A required field or body is absent.
        case missingField
        /// A value is out of range.
        case invalidValue
        /// Parts of a batch disagree.
        case inconsistentBatch
        /// A count, length or size exceeds the receiver's limits.
        case tooLarge
        /// A CRC-32 does not match.
        case badChecksum
        /// Snapshot chunks missing, repeated or out of order.
        case chunkOutOfSequence
        /// The sender has not said hello to this learner.
        case unknownWorker
        /// A valid message the session did not expect in its current state.
        case unexpectedMessage
        /// The worker's dataset fingerprint differs from the learner's.
        case datasetMismatch
        /// A batch names a parameter version the learner cannot have served; the reason names the field.
        case versionOutOfRange
        /// The assignment ``ErrorReply/assignmentID`` passed its deadline and was handed to another worker.
        case assignmentExpired
        /// A code this peer does not know (sent by a newer minor version), with its wire value.
        case unrecognized(Int)

        /// The code as a metric label or log field, such as `malformed_frame`.
        public var label: String {
            switch self {
            case .malformedFrame: "malformed_frame"
            case .unsupportedVersion: "unsupported_version"
            case .missingField: "missing_field"
            case .invalidValue: "invalid_value"
            case .inconsistentBatch: "inconsistent_batch"
            case .tooLarge: "too_large"
            case .badChecksum: "bad_checksum"
            case .chunkOutOfSequence: "chunk_out_of_sequence"
            case .unknownWorker: "unknown_worker"
            case .unexpectedMessage: "unexpected_message"
            case .datasetMismatch: "dataset_mismatch"
            case .versionOutOfRange: "version_out_of_range"
            case .assignmentExpired: "assignment_expired"
            case .unrecognized: "unrecognized"
            }
        }
    }

    /// What kind of problem was found.
    public var code: Code
    /// A human-readable reason naming the offending field and values.
    public var reason: String
    /// Sequence number of the rejected rollout batch, or nil if the error is not about a batch.
    public var batchSequence: UInt64?
    /// The assignment the error is about (an expired one), or nil.
    public var assignmentID: UInt64?

    /// Creates an error reply.
    /// - Parameters:
    ///   - code: what kind of problem was found.
    ///   - reason: a human-readable reason.
    ///   - batchSequence: the rejected batch's sequence number, if the error is about a batch.
    ///   - assignmentID: the assignment the error is about, if any.
    public init(code: Code, reason: String, batchSequence: UInt64? = nil, assignmentID: UInt64? = nil) {
        self.code = code
        self.reason = reason
        self.batchSequence = batchSequence
        self.assignmentID = assignmentID
    }

    /// The reply to a message the decoder rejected.
    /// - Parameters:
    ///   - error: the decoder's error; its reason is sent as is.
    ///   - batchSequence: the rejected batch's sequence number, if known.
    public init(_ error: WireError, batchSequence: UInt64? = nil) {
        let code: Code =
            switch error.code {
            case .malformedFrame: .malformedFrame
            case .unsupportedVersion: .unsupportedVersion
            case .missingField: .missingField
            case .invalidValue: .invalidValue
            case .inconsistentBatch: .inconsistentBatch
            case .tooLarge: .tooLarge
            case .badChecksum: .badChecksum
            case .chunkOutOfSequence: .chunkOutOfSequence
            }
        self.init(code: code, reason: Self.clipped(error.reason), batchSequence: batchSequence)
    }

    /// `reason` shortened to at most `maxBytes` UTF-8 bytes (ending in "...") so the reply itself stays
    /// within the default ``WireLimits/maxTextBytes`` of its receiver.
    static func clipped(_ reason: String, maxBytes: Int = 4096) -> String {
        guard reason.utf8.count > maxBytes else { return reason }
        var clipped = String.UnicodeScalarView()
        var byteCount = 3
        for scalar in reason.unicodeScalars {
            byteCount += String(scalar).utf8.count
            guard byteCount <= maxBytes else { break }
            clipped.append(scalar)
        }
        return String(clipped) + "..."
    }
}

// MARK: - Wire conversion

extension ErrorReply {
    init(wire: Vr_V1_ErrorReply, validator: WireValidator) throws(WireError) {
        let code: Code
        switch wire.code {
        case .unspecified: throw WireError(.missingField, "ErrorReply.code is unspecified")
        case .malformedFrame: code = .malformedFrame
        case .unsupportedVersion: code = .unsupportedVersion
        case .missingField: code = .missingField
        case .invalidValue: code = .invalidValue
        case .inconsistentBatch: code = .inconsistentBatch
        case .tooLarge: code = .tooLarge
        case .badChecksum: code = .badChecksum
        case .chunkOutOfSequence: code = .chunkOutOfSequence
        case .unknownWorker: code = .unknownWorker
        case .unexpectedMessage: code = .unexpectedMessage
        case .datasetMismatch: code = .datasetMismatch
        case .versionOutOfRange: code = .versionOutOfRange
        case .assignmentExpired: code = .assignmentExpired
        case .UNRECOGNIZED(let raw): code = .unrecognized(raw)
        }
        self.init(
            code: code, reason: try validator.text(wire.reason, "ErrorReply.reason"),
            batchSequence: wire.batchSequence == 0 ? nil : wire.batchSequence,
            assignmentID: wire.assignmentID == 0 ? nil : wire.assignmentID)
    }

    var wire: Vr_V1_ErrorReply {
        var wire = Vr_V1_ErrorReply()
        wire.code =
            switch code {
            case .malformedFrame: .malformedFrame
            case .unsupportedVersion: .unsupportedVersion
            case .missingField: .missingField
            case .invalidValue: .invalidValue
            case .inconsistentBatch: .inconsistentBatch
            case .tooLarge: .tooLarge
            case .badChecksum: .badChecksum
            case .chunkOutOfSequence: .chunkOutOfSequence
            case .unknownWorker: .unknownWorker
            case .unexpectedMessage: .unexpectedMessage
            case .datasetMismatch: .datasetMismatch
            case .versionOutOfRange: .versionOutOfRange
            case .assignmentExpired: .assignmentExpired
            case .unrecognized(let raw): .UNRECOGNIZED(raw)
            }
        wire.reason = reason
        wire.batchSequence = batchSequence ?? 0
        wire.assignmentID = assignmentID ?? 0
        return wire
    }
}
