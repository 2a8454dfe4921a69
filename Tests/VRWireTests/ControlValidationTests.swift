// Control, work and parameter messages from untrusted peers: range checks and forward compatibility.

import Testing
import VRWire

@Suite("Control message validation")
struct ControlValidationTests {
    let codec = WireCodec()

    private func code(of message: WireMessage) throws -> WireError.Code {
        let frames = try codec.encode(message, senderID: "peer")
        return try #require(throws: WireError.self) { try codec.decode(frames) }.code
    }

    @Test("counts and intervals outside their ranges")
    func ranges() throws {
        #expect(try code(of: .workRequest(WorkRequest(questionCount: 0, parameterVersion: 1))) == .invalidValue)
        #expect(try code(of: .workRequest(WorkRequest(questionCount: 2000, parameterVersion: 1))) == .tooLarge)
        let welcome = Welcome(
            learnerInstanceID: "l", parameterVersion: 1, heartbeatInterval: .zero, heartbeatLiveness: 3, maxLag: 1)
        #expect(try code(of: .welcome(welcome)) == .invalidValue)
        #expect(try code(of: .goodbye(Goodbye(reason: String(repeating: "x", count: 5000)))) == .tooLarge)
        #expect(
            try code(of: .batchAck(BatchAck(batchSequence: 0, status: .accepted, parameterVersion: 1))) == .missingField
        )
    }

    @Test("assignments need distinct question ids and a trace count in range")
    func assignments() throws {
        let question = QuestionAssignment(questionID: "q", phase: .model, traceCount: 4)
        let repeated = WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [question, question])
        #expect(try code(of: .workAssignment(repeated)) == .invalidValue)
        var many = question
        many.traceCount = 65
        #expect(
            try code(of: .workAssignment(WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [many])))
                == .tooLarge)
        var unnamed = question
        unnamed.questionID = ""
        #expect(
            try code(of: .workAssignment(WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [unnamed])))
                == .missingField)
    }

    @Test("[E11] answer models travel; unspecified is pi; the posterior phase scores only with pi")
    func answerModels() throws {
        for answerModel in AnswerModel.allCases {
            let question = QuestionAssignment(
                questionID: "q", phase: .model, traceCount: 2, proposal: .unhintedPosterior, answerModel: answerModel)
            let message = WireMessage.workAssignment(
                WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [question]))
            #expect(try codec.decode(codec.encode(message, senderID: "l")).message == message)
        }
        let posterior = QuestionAssignment(
            questionID: "q", phase: .posterior, traceCount: 2, answerModel: .posteriorParameters)
        #expect(
            try code(of: .workAssignment(WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [posterior])))
                == .invalidValue)
    }

    @Test("proposals travel; an unspecified one is the phase's own; the posterior phase only samples pi")
    func proposals() throws {
        for proposal in TraceProposal.allCases {
            let question = QuestionAssignment(questionID: "q", phase: .model, traceCount: 2, proposal: proposal)
            let message = WireMessage.workAssignment(
                WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [question]))
            #expect(try codec.decode(codec.encode(message, senderID: "l")).message == message)
        }
        // A learner that names no proposal gets the phase's own.
        for (phase, proposal) in [(Vr_V1_Phase.model, TraceProposal.hintedPosterior), (.posterior, .reasoningModel)] {
            var question = Vr_V1_QuestionAssignment()
            question.questionID = "q"
            question.phase = phase
            question.traceCount = 2
            var assignment = Vr_V1_WorkAssignment()
            assignment.assignmentID = 1
            assignment.parameterVersion = 1
            assignment.questions = [question]
            var wire = Vr_V1_Envelope()
            wire.protocolVersion = 1
            wire.senderID = "learner"
            wire.workAssignment = assignment
            guard case .workAssignment(let decoded) = try codec.decode([wire.serializedBytes()]).message else {
                Issue.record("not decoded as an assignment")
                continue
            }
            #expect(decoded.questions.first?.proposal == proposal)
        }
        let hinted = QuestionAssignment(questionID: "q", phase: .posterior, traceCount: 2, proposal: .hintedPosterior)
        #expect(
            try code(of: .workAssignment(WorkAssignment(assignmentID: 1, parameterVersion: 1, questions: [hinted])))
                == .invalidValue)
    }

    @Test("announcements need consistent sizes and a known encoding")
    func announcements() throws {
        var announcement = Samples.announcement
        announcement.chunkCount = 4
        #expect(try code(of: .parameterAnnouncement(announcement)) == .invalidValue)
        announcement = Samples.announcement
        announcement.parameterVersion = 0
        #expect(try code(of: .parameterAnnouncement(announcement)) == .missingField)
        var wire = Vr_V1_Envelope()
        wire.protocolVersion = 1
        wire.senderID = "learner"
        var raw = Vr_V1_ParameterAnnouncement()
        raw.parameterVersion = 1
        raw.chunkByteCount = 16
        wire.parameterAnnouncement = raw
        let error = try #require(throws: WireError.self) { try codec.decode([wire.serializedBytes()]) }
        #expect(error.code == .missingField)
        #expect(error.reason.contains("encoding"))
    }

    @Test("unknown fields from a newer minor version are ignored")
    func unknownFieldIgnored() throws {
        let message = WireMessage.heartbeat(Heartbeat(parameterVersion: 3))
        let frame = try codec.encode(message, senderID: "peer")[0]
        let field50: [UInt8] = [0x90, 0x03, 0x01]  // field 50, varint 1
        #expect(try codec.decode([frame + field50]).message == message)
    }

    @Test("an unknown body from a newer peer is a missing body with a hint")
    func unknownBody() throws {
        var envelope = Vr_V1_Envelope()
        envelope.protocolVersion = 1
        envelope.senderID = "peer"
        let field40: [UInt8] = [0xC2, 0x02, 0x00]  // field 40, empty message
        let error = try #require(throws: WireError.self) { try codec.decode([envelope.serializedBytes() + field40]) }
        #expect(error.code == .missingField)
        #expect(error.reason.contains("newer peer"))
    }

    @Test("an error reply built from a long reason is clipped so that it still decodes")
    func clippedReason() throws {
        let reply = ErrorReply(WireError(.invalidValue, String(repeating: "\u{00E9}", count: 5000)))
        #expect(reply.reason.utf8.count <= WireLimits().maxTextBytes)
        #expect(reply.reason.hasSuffix("..."))
        let frames = try codec.encode(.errorReply(reply), senderID: "learner")
        #expect(try codec.decode(frames).message == .errorReply(reply))
    }

    @Test("WireError descriptions carry the code, the place of the check and the reason")
    func description() throws {
        let error = try #require(throws: WireError.self) { try codec.decode([[0xFF]]) }
        #expect(error.description.hasPrefix("WireError.malformedFrame at VRWire/WireCodec.swift:"))
    }
}
