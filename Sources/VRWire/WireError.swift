// The one error type of VRWire: why a peer's frames were rejected, with a code and a readable reason.

/// A rejected message, snapshot or chunk sequence from an untrusted peer.
///
/// Peer and protocol errors never crash the receiver: the decoder throws a `WireError`, the learner
/// answers with ``ErrorReply/init(_:batchSequence:)`` and drops the message (STYLE 4.9, third tier).
public struct WireError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem was found; maps one to one onto the wire's `ErrorCode`.
    public enum Code: Sendable, Hashable {
        /// Frames or bytes that do not parse: truncated, garbage, or the wrong number of frames.
        case malformedFrame
        /// The envelope's major protocol version is not the one this peer speaks.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// A required field or message body is absent.
        case missingField
        /// A value is out of range: a token id outside the vocabulary, a non-finite log-prob, an unknown enum.
        case invalidValue
        /// Parts of a batch disagree: array lengths, `correct > total`, repeated question ids, worker ids.
        case inconsistentBatch
        /// A count, length or byte size exceeds ``WireLimits``.
        case tooLarge
        /// A CRC-32 does not match the bytes it covers.
        case badChecksum
        /// Snapshot chunks are missing, repeated, out of order or belong to another parameter version.
        case chunkOutOfSequence
    }

    /// What kind of problem was found.
    public let code: Code
    /// A human-readable reason naming the offending field and values.
    public let reason: String
    /// `#fileID:#line` of the check that failed.
    public let location: String
    /// The name of the message whose body failed its checks (``WireMessage/name``), or nil when the frames or the
    /// envelope did not get that far.
    public internal(set) var messageName: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: what kind of problem was found.
    ///   - reason: a human-readable reason naming the offending field and values.
    ///   - file: the file of the failed check (defaults to the caller's).
    ///   - line: the line of the failed check (defaults to the caller's).
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.location = "\(file):\(line)"
    }

    /// The code, the reason and where the check failed.
    public var description: String { "WireError.\(code) at \(location): \(reason)" }
}
