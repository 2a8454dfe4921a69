// Turns protocol messages into ZeroMQ frames and back, validating everything a peer sends.
// Framing and grammar: Protos/vr/v1/envelope.proto and docs/protocol.md.

import SwiftProtobuf

/// Encodes ``WireMessage`` values as multipart frames and decodes untrusted frames into them.
///
/// Frame 0 is a serialized `vr.v1.Envelope`; a snapshot chunk adds one raw payload frame. Decoding
/// checks the protocol version, frame counts and sizes, then every field against ``limits`` and the
/// vocabulary, and throws a ``WireError`` for anything invalid; it never traps on peer input.
public struct WireCodec: Sendable {
    /// The major protocol version this code speaks (`package vr.v1`).
    public static let protocolVersion: UInt32 = 1
    /// The revision of ``protocolVersion`` this code speaks (docs/protocol.md, "Revisions of vr.v1"); the
    /// learner states it in ``Welcome/protocolRevision``.
    public static let protocolRevision: UInt32 = 3

    /// Bounds applied to decoded messages (and to the frames ``encode(_:senderID:)`` produces).
    public let limits: WireLimits
    /// Token ids must lie in `0..<vocabularySize`; nil checks only that they are not negative.
    public let vocabularySize: Int?

    /// Creates a codec.
    /// - Precondition: `vocabularySize` is nil or positive.
    /// - Parameters:
    ///   - vocabularySize: the model's vocabulary size, or nil before it is known.
    ///   - limits: bounds on untrusted input.
    public init(vocabularySize: Int? = nil, limits: WireLimits = WireLimits()) {
        precondition(vocabularySize.map { $0 > 0 } ?? true, "vocabularySize \(vocabularySize ?? 0) must be positive")
        self.vocabularySize = vocabularySize
        self.limits = limits
    }

    // MARK: - Encoding

    /// The frames of a message: the envelope, plus the payload frame of a snapshot chunk.
    /// - Parameters:
    ///   - message: the message to send.
    ///   - senderID: the sender's id (worker id or learner instance id).
    /// - Returns: one frame, or two for ``WireMessage/snapshotChunk(_:)``.
    /// - Throws: ``WireError`` with code `tooLarge` if a frame would exceed ``WireLimits/maxFrameBytes``.
    public func encode(_ message: WireMessage, senderID: String) throws(WireError) -> [[UInt8]] {
        let (body, payload) = message.body
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = Self.protocolVersion
        envelope.senderID = senderID
        envelope.body = body
        let header: [UInt8]
        do {
            header = try envelope.serializedBytes()
        } catch {
            throw WireError(.malformedFrame, "\(message.name) could not be serialized: \(error)")
        }
        try checkFrameSize(header.count, "\(message.name) envelope")
        guard let payload else { return [header] }
        try checkFrameSize(payload.count, "\(message.name) payload")
        return [header, payload]
    }

    // MARK: - Decoding

    /// Decodes and validates the frames of one message from an untrusted peer.
    /// - Parameter frames: the multipart message, without any ROUTER identity frame.
    /// - Returns: the sender's id and its message.
    /// - Throws: ``WireError`` for anything the protocol or ``limits`` do not allow.
    public func decode(_ frames: [[UInt8]]) throws(WireError) -> WireEnvelope {
        guard let first = frames.first else { throw WireError(.malformedFrame, "a message needs at least one frame") }
        try checkFrameSize(first.count, "envelope frame")
        let envelope: Vr_V1_Envelope
        do {
            envelope = try Vr_V1_Envelope(serializedBytes: first)
        } catch {
            throw WireError(.malformedFrame, "envelope frame of \(first.count) bytes does not parse: \(error)")
        }
        try checkVersion(envelope.protocolVersion)
        let validator = WireValidator(limits: limits, vocabularySize: vocabularySize)
        let senderID = try validator.identifier(envelope.senderID, "Envelope.sender_id")
        guard let body = envelope.body else {
            let hint =
                envelope.unknownFields.data.isEmpty ? "" : " (it has fields this peer does not know: newer peer?)"
            throw WireError(.missingField, "Envelope has no body\(hint)")
        }
        let message: WireMessage
        do {
            message = try WireMessage(
                body: body, payload: try payloadFrame(of: frames, for: body), validator: validator)
        } catch {
            var named = error
            named.messageName = WireMessage.name(of: body)
            throw named
        }
        if case .rolloutBatch(let batch) = message, batch.workerID != senderID {
            throw WireError(
                .inconsistentBatch, "RolloutBatch.worker_id \"\(batch.workerID)\" differs from sender \"\(senderID)\"")
        }
        return WireEnvelope(senderID: senderID, message: message)
    }

    // MARK: - Helpers

    private func checkVersion(_ found: UInt32) throws(WireError) {
        let supported = Self.protocolVersion
        guard found != 0 else {
            throw WireError(.missingField, "Envelope.protocol_version is missing; this peer speaks \(supported)")
        }
        guard found == supported else {
            throw WireError(
                .unsupportedVersion(found: found, supported: supported),
                "protocol_version \(found) unsupported; this peer speaks \(supported)")
        }
    }

    /// The raw payload frame of a snapshot chunk, nil for any other body; checks the frame count.
    private func payloadFrame(of frames: [[UInt8]], for body: Vr_V1_Envelope.OneOf_Body) throws(WireError) -> [UInt8]? {
        let isChunk: Bool
        if case .snapshotChunk = body { isChunk = true } else { isChunk = false }
        let expected = isChunk ? 2 : 1
        guard frames.count == expected else {
            let what =
                isChunk ? "a SnapshotChunk is a header and one payload frame" : "only SnapshotChunk has a payload"
            throw WireError(.malformedFrame, "got \(frames.count) frames, expected \(expected): \(what)")
        }
        guard isChunk else { return nil }
        try checkFrameSize(frames[1].count, "payload frame")
        return frames[1]
    }

    private func checkFrameSize(_ byteCount: Int, _ what: String) throws(WireError) {
        guard byteCount <= limits.maxFrameBytes else {
            throw WireError(.tooLarge, "\(what) has \(byteCount) bytes; the limit is \(limits.maxFrameBytes)")
        }
    }
}
