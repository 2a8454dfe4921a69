// Golden bytes: a fixed envelope must encode to exactly these bytes, now and in every later minor version.

import Testing
import VRWire

@Suite("Golden bytes")
struct GoldenBytesTests {
    /// The fixed message: a batch with a finished trace and its sampled answers and a truncated trace with counts
    /// alone (golden fixture, vr.v1 revision 2).
    static let message = WireMessage.rolloutBatch(
        RolloutBatch(
            workerID: "worker-7", batchSequence: 42, assignmentID: 7, samplingParameterVersion: 3,
            scoringParameterVersion: 4,
            questions: [
                QuestionRollout(
                    questionID: "add/1", phase: .model,
                    traces: [
                        TraceRecord(
                            promptTokenIDs: [1, 2], traceTokenIDs: [3, 4, 5], behaviourLogProbs: [-0.5, -1, -2],
                            sampledAnswers: SampledAnswers(
                                correctCount: 1, answerCount: 2,
                                answers: [
                                    SampledAnswer(tokenIDs: [6], behaviourLogProbs: [-0.125], isCorrect: true),
                                    SampledAnswer(tokenIDs: [8, 9], behaviourLogProbs: [-4, -0.25], isCorrect: false),
                                ])),
                        TraceRecord(
                            promptTokenIDs: [1, 2], traceTokenIDs: [7], behaviourLogProbs: [-0.25], isTruncated: true,
                            sampledAnswers: SampledAnswers(correctCount: 0, answerCount: 1)),
                    ])
            ]))

    /// `Envelope{protocol_version: 1, sender_id: "worker-7", rollout_batch: message}` as hex, written by protoc
    /// (`protoc --encode=vr.v1.Envelope` on the same message in text format), not by the code under test. A change
    /// here means the encoding changed: that breaks peers unless it is an additive, compatible change.
    static let goldenHex =
        "08011208776f726b65722d37b2016e0a08776f726b65722d37102a180720032804325a0a056164642f3110021a3a0a0201021203"
        + "030405220c000000bf000080bf000000c03221080210011a0b0a01061204000000be18011a0e0a0208091208000080c0000080be"
        + "1a130a0201021201072204000080be280132020801"

    @Test("the fixed envelope encodes to the committed bytes")
    func encodesToGolden() throws {
        let frames = try WireCodec().encode(Self.message, senderID: "worker-7")
        #expect(frames.count == 1)
        let hex = frames[0].map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        .joined()
        #expect(hex == Self.goldenHex, "new golden hex: \(hex)")
    }

    @Test("the committed bytes decode to the fixed message")
    func decodesFromGolden() throws {
        var bytes: [UInt8] = []
        var hex = Substring(Self.goldenHex)
        while hex.count >= 2 {
            bytes.append(try #require(UInt8(hex.prefix(2), radix: 16)))
            hex = hex.dropFirst(2)
        }
        let decoded = try WireCodec(vocabularySize: 16).decode([bytes])
        #expect(decoded == WireEnvelope(senderID: "worker-7", message: Self.message))
    }
}
