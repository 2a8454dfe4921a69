// Revision 2 of vr.v1 removed fields nothing read; a peer of revision 1 that still sends them is understood.

import SwiftProtobuf
import Testing
import VRWire

@Suite("Revision 1 peers")
struct RevisionCompatibilityTests {
    let codec = WireCodec(vocabularySize: Samples.vocabularySize)

    /// `message` re-parsed with `extra` appended to its encoding: the fields revision 2 no longer declares.
    private func withRemovedFields<M: SwiftProtobuf.Message>(_ message: M, _ extra: [UInt8]) throws -> M {
        try M(serializedBytes: try message.serializedBytes() as [UInt8] + extra)
    }

    @Test("Hello.slot_count and Heartbeat.outstanding_question_count are ignored")
    func controlFields() throws {
        let hello = WireMessage.hello(WorkerHello(softwareVersion: "vr 0.1", parameterVersion: 3))
        var envelope = try Vr_V1_Envelope(serializedBytes: codec.encode(hello, senderID: "w")[0])
        envelope.hello = try withRemovedFields(envelope.hello, [0x10, 0x08])  // slot_count = 8
        #expect(try codec.decode([envelope.serializedBytes()]).message == hello)

        let heartbeat = WireMessage.heartbeat(Heartbeat(parameterVersion: 5))
        envelope = try Vr_V1_Envelope(serializedBytes: codec.encode(heartbeat, senderID: "w")[0])
        envelope.heartbeat = try withRemovedFields(envelope.heartbeat, [0x10, 0x02])  // outstanding_question_count = 2
        #expect(try codec.decode([envelope.serializedBytes()]).message == heartbeat)
    }

    @Test("TraceRecord.answer_token_ids is ignored; a trace with reference_answer alone lacks sampled_answers")
    func traceFields() throws {
        let batch = WireMessage.rolloutBatch(Samples.batch())
        var envelope = try Vr_V1_Envelope(serializedBytes: codec.encode(batch, senderID: Samples.workerID)[0])
        var trace = envelope.rolloutBatch.questions[0].traces[0]
        // answer_token_ids = [8, 9], packed: tag 3, length 2.
        envelope.rolloutBatch.questions[0].traces[0] = try withRemovedFields(trace, [0x1A, 0x02, 0x08, 0x09])
        #expect(try codec.decode([envelope.serializedBytes()]).message == batch)

        // GML evidence in place of sampled answers: reference_answer (tag 7) holding log_probs [-1.0].
        trace.clearSampledAnswers()
        envelope.rolloutBatch.questions[0].traces[0] = try withRemovedFields(
            trace, [0x3A, 0x06, 0x0A, 0x04, 0x00, 0x00, 0x80, 0xBF])
        let error = try #require(throws: WireError.self) { try codec.decode([envelope.serializedBytes()]) }
        #expect(error.code == .missingField)
        #expect(error.reason.contains("sampled_answers"))
    }
}
