import Foundation
import Testing
import VRExperiment
import VRWorker

/// Trace pool files: what is written reads back; a pool of other questions, trace counts or broken traces is refused
/// with the line and what is wrong.
@Suite("trace pool files")
struct TracePoolTests {
    static func trace(correct: Int) -> PooledTrace {
        PooledTrace(
            isUsable: true, thought: "3+4=7", logQ: [-0.5, -1.25], logPi: [-0.75, -2], logPiReference: [-0.125],
            sampledAnswers: 2, correctAnswers: correct, sampledTokens: 9)
    }

    static let pool = [
        PooledQuestion(
            questionID: "q0",
            traces: [trace(correct: 2), .unusable(sampledAnswers: 0, correctAnswers: 0, sampledTokens: 48)]),
        PooledQuestion(questionID: "q1", traces: [trace(correct: 0), trace(correct: 1)]),
    ]

    func expectRefusal(_ pool: [PooledQuestion], ids: [String], traces: Int, naming expected: String) throws {
        let path = NSTemporaryDirectory() + "vr-pool-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TracePool.write(pool, to: path)
        do {
            _ = try TracePool.read(from: path, questionIDs: ids, traceCount: traces)
            Issue.record("accepted a pool that should be refused for: \(expected)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("a pool survives writing and reading")
    func roundTrip() throws {
        let path = NSTemporaryDirectory() + "vr-pool-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TracePool.write(Self.pool, to: path)
        #expect(try TracePool.read(from: path, questionIDs: ["q0", "q1"], traceCount: 2) == Self.pool)
    }

    @Test("a pool of other questions, trace counts or broken traces is refused, naming the line")
    func refusals() throws {
        try expectRefusal(Self.pool, ids: ["q1", "q0"], traces: 2, naming: "line 1: question \"q0\" where \"q1\"")
        try expectRefusal(Self.pool, ids: ["q0", "q1"], traces: 3, naming: "line 1: 2 traces, expected 3")
        try expectRefusal(Self.pool, ids: ["q0"], traces: 2, naming: "has 2 questions; the task file has 1")
        var shortLogPi = Self.pool
        shortLogPi[1].traces[1].logPi.removeLast()
        try expectRefusal(shortLogPi, ids: ["q0", "q1"], traces: 2, naming: "line 2: trace 2: logQ and logPi")
        var tooManyCorrect = Self.pool
        tooManyCorrect[0].traces[0].correctAnswers = 3
        try expectRefusal(tooManyCorrect, ids: ["q0", "q1"], traces: 2, naming: "line 1: trace 1: counts out of range")
    }
}
