import Testing

@testable import VRWorker

/// How the plain prompt style reads a pretrained chat model's reply.
@Suite("evaluation of pretrained chat models")
struct ReasoningEvaluatorTests {
    @Test(
        "the last number of a reply is its answer when it writes no Answer: line",
        arguments: [
            ("5 - 3 = 2", "2"), ("The result is -1.", "-1"), ("It is 3/4 of 12, so 9", "9"), ("x is 2.50", "2.50"),
            ("no number", nil), ("-7", "-7"),
        ] as [(String, String?)])
    func lastNumber(reply: String, expected: String?) {
        #expect(ReasoningEvaluator.lastNumber(in: reply) == expected)
    }

    @Test("the plain style needs a chat format")
    func plainNeedsChat() {
        #expect(throws: WorkerError.self) {
            try ReasoningEvaluator(samplesPerQuestion: 1, temperature: 0, style: .plain)
        }
    }
}
