// Golden bytes: a fixed envelope must encode to exactly these bytes, now and in every later minor version.

import Testing
import VRWire

@Suite("Golden bytes")
struct GoldenBytesTests {
    /// The fixed message: a batch with one Acc trace and one GML trace (golden fixture, vr.v1).
    static let message = WireMessage.rolloutBatch(
        RolloutBatch(
            workerID: "worker-7", batchSequence: 42, assignmentID: 7, samplingParameterVersion: 3,
            scoringParameterVersion: 4,
            questions: [
                QuestionRollout(
                    questionID: "add/1", phase: .model,
                    traces: [
                        TraceRecord(
                            promptTokenIDs: [1, 2], traceTokenIDs: [3, 4, 5], answerTokenIDs: [6],
                            behaviourLogProbs: [-0.5, -1, -2], answerEvidence: .sampled(correctCount: 3, answerCount: 4)
                        ),
                        TraceRecord(
                            promptTokenIDs: [1, 2], traceTokenIDs: [7], answerTokenIDs: [6, 8],
                            behaviourLogProbs: [-0.25], isTruncated: true,
                            answerEvidence: .referenceLogProbs([-0.125, -4])),
                    ])
            ]))

    /// `Envelope{protocol_version: 1, sender_id: "worker-7", rollout_batch: message}` as hex. A change here
    /// means the encoding changed: that breaks peers unless it is an additive, compatible change.
    static let goldenHex =
        "08011208776f726b65722d37b201600a08776f726b65722d37102a180720032804324c0a056164642f3110021a200a02010212030304051a"
        + "0106220c000000bf000080bf000000c03204080410031a1f0a0201021201071a0206082204000080be28013a0a0a08000000be000080c0"

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
