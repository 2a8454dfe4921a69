// Round trips of every message, version checks and framing rules of WireCodec.

import Testing
import VRWire

@Suite("WireCodec")
struct WireCodecTests {
    let codec = WireCodec(vocabularySize: Samples.vocabularySize)

    @Test("every message survives encode then decode", arguments: Samples.allMessages)
    func roundTrip(message: WireMessage) throws {
        let frames = try codec.encode(message, senderID: Samples.workerID)
        #expect(frames.count == (message.name == "SnapshotChunk" ? 2 : 1))
        let decoded = try codec.decode(frames)
        #expect(decoded == WireEnvelope(senderID: Samples.workerID, message: message))
    }

    @Test("a wrong major version is rejected with both versions named")
    func wrongMajorVersion() throws {
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = 2
        envelope.senderID = Samples.workerID
        envelope.heartbeat = Vr_V1_Heartbeat()
        let error = try #require(throws: WireError.self) { try codec.decode([envelope.serializedBytes()]) }
        #expect(error.code == .unsupportedVersion(found: 2, supported: 1))
        #expect(error.reason.contains("protocol_version 2 unsupported"))
        #expect(error.reason.contains("speaks 1"))
        #expect(ErrorReply(error).code == .unsupportedVersion)
    }

    @Test("a missing version, sender or body is a missing field")
    func missingHeaderFields() throws {
        var envelope = Vr_V1_Envelope()
        envelope.senderID = Samples.workerID
        envelope.heartbeat = Vr_V1_Heartbeat()
        #expect(try decodeError(envelope).code == .missingField)
        envelope.protocolVersion = 1
        envelope.senderID = ""
        #expect(try decodeError(envelope).code == .missingField)
        envelope.senderID = Samples.workerID
        envelope.body = nil
        #expect(try decodeError(envelope).code == .missingField)
        envelope.senderID = String(repeating: "w", count: 257)
        envelope.heartbeat = Vr_V1_Heartbeat()
        #expect(try decodeError(envelope).code == .tooLarge)
    }

    @Test("frame counts: no frames, extra frames, a chunk without its payload")
    func frameCounts() throws {
        #expect(throws: WireError.self) { try codec.decode([]) }
        let heartbeat = try codec.encode(
            .heartbeat(Heartbeat(parameterVersion: 1)), senderID: "w")
        #expect(try decodeError(heartbeat + [[1, 2, 3, 4]]).code == .malformedFrame)
        let chunk = try codec.encode(Samples.allMessages.last!, senderID: "w")
        #expect(try decodeError([chunk[0]]).code == .malformedFrame)
        #expect(try decodeError(chunk + [[]]).code == .malformedFrame)
    }

    @Test("an error names the message whose body failed, and none when the envelope did not get that far")
    func messageNames() throws {
        let heartbeat = try codec.encode(.heartbeat(Heartbeat(parameterVersion: 1)), senderID: "w")
        #expect(try decodeError(heartbeat + [[1, 2, 3, 4]]).messageName == "Heartbeat")
        var batch = Samples.batch()
        batch.questions[0].traces[0].traceTokenIDs[0] = Int32(Samples.vocabularySize)
        let batchFrames = try codec.encode(.rolloutBatch(batch), senderID: Samples.workerID)
        #expect(try decodeError(batchFrames).messageName == "RolloutBatch")
        #expect(try decodeError([[0x07, 1, 2]]).messageName == nil)
        var otherVersion = heartbeat[0]
        otherVersion[1] = 2
        #expect(try decodeError([otherVersion]).messageName == nil)
        #expect(WireMessage.heartbeat(Heartbeat(parameterVersion: 1)).name == "Heartbeat")
    }

    @Test("snapshot chunk frames: size mismatch and corrupted payload")
    func chunkFrames() throws {
        let chunk = try codec.encode(Samples.allMessages.last!, senderID: "w")
        #expect(try decodeError([chunk[0], Array(chunk[1].dropLast(4))]).code == .malformedFrame)
        var corrupted = chunk[1]
        corrupted[3] ^= 0x10
        #expect(try decodeError([chunk[0], corrupted]).code == .badChecksum)
        #expect(try decodeError([chunk[0], Array(chunk[1].dropLast(2))]).code == .malformedFrame)
    }

    @Test("a batch whose worker id differs from the sender is inconsistent")
    func spoofedWorkerID() throws {
        let frames = try codec.encode(.rolloutBatch(Samples.batch(workerID: "worker-8")), senderID: Samples.workerID)
        #expect(try decodeError(frames).code == .inconsistentBatch)
    }

    @Test("frames over the frame limit are too large, both ways")
    func frameLimit() throws {
        var limits = WireLimits()
        limits.maxFrameBytes = 64
        let small = WireCodec(vocabularySize: Samples.vocabularySize, limits: limits)
        let batch = WireMessage.rolloutBatch(Samples.batch())
        let error = try #require(throws: WireError.self) { try small.encode(batch, senderID: Samples.workerID) }
        #expect(error.code == .tooLarge)
        let frames = try codec.encode(batch, senderID: Samples.workerID)
        #expect(throws: WireError.self) { try small.decode(frames) }
    }

    @Test("unknown enum values and a missing assignment id are rejected; an empty assignment needs no id")
    func unknownValues() throws {
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = 1
        envelope.senderID = "learner"
        var ack = Vr_V1_BatchAck()
        ack.batchSequence = 1
        ack.status = .UNRECOGNIZED(9)
        envelope.batchAck = ack
        #expect(try decodeError(envelope).code == .invalidValue)
        var assignment = Vr_V1_WorkAssignment()
        assignment.assignmentID = 0
        assignment.retryAfterMs = 100
        envelope.workAssignment = assignment
        // "No work now; ask again later."
        #expect(
            try codec.decode([envelope.serializedBytes()]).message
                == .workAssignment(
                    WorkAssignment(assignmentID: 0, parameterVersion: 0, questions: [], retryAfter: .milliseconds(100)))
        )
        var question = Vr_V1_QuestionAssignment()
        question.questionID = "q"
        question.phase = .model
        question.traceCount = 2
        assignment.questions = [question]
        envelope.workAssignment = assignment
        #expect(try decodeError(envelope).code == .missingField)
    }

    @Test("an error reply from a newer peer keeps its unknown code")
    func unrecognizedErrorCode() throws {
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = 1
        envelope.senderID = "learner"
        var reply = Vr_V1_ErrorReply()
        reply.code = .UNRECOGNIZED(99)
        reply.reason = "new"
        envelope.errorReply = reply
        let decoded = try codec.decode([envelope.serializedBytes()])
        #expect(decoded.message == .errorReply(ErrorReply(code: .unrecognized(99), reason: "new")))
    }

    @Test("batch lag is learner version minus sampling version")
    func lag() {
        let batch = Samples.batch()
        #expect(batch.lag(learnerParameterVersion: 14) == 3)
        #expect(batch.lag(learnerParameterVersion: 9) == -2)
        #expect(batch.traceCount == 3)
    }

    private func decodeError(_ envelope: Vr_V1_Envelope) throws -> WireError {
        try decodeError([envelope.serializedBytes()])
    }

    private func decodeError(_ frames: [[UInt8]]) throws -> WireError {
        try #require(throws: WireError.self) { try codec.decode(frames) }
    }
}
