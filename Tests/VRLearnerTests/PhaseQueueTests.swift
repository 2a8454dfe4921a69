import Testing

@testable import VRLearner

@Suite("phase queue")
struct PhaseQueueTests {
    /// The questions and lags of the next step, training version `version`, or nil while fewer than `size` wait.
    func step(
        _ queue: inout PhaseQueue<Int>, of size: Int, at version: UInt64 = 5
    ) -> (questions: [Int], lags: [UInt64])? {
        queue.takeStep(of: size, at: version)
    }

    @Test("a step takes the oldest step's worth, across batches, with those batches' lags at the step")
    func oldestFirst() throws {
        var queue = PhaseQueue<Int>()
        queue.append([0, 1, 2], samplingVersion: 4)
        let early = step(&queue, of: 4)
        #expect(early == nil)
        #expect(queue.count == 3)
        queue.append([3, 4, 5, 6, 7], samplingVersion: 3)
        queue.append([8, 9, 10, 11, 12, 13], samplingVersion: 5)
        #expect(queue.count == 14)

        let first = try #require(step(&queue, of: 4))
        #expect(first.questions == [0, 1, 2, 3] && first.lags == [1, 2])
        // The time a batch waits counts: the same batch, two versions later.
        let second = try #require(step(&queue, of: 4, at: 7))
        #expect(second.questions == [4, 5, 6, 7] && second.lags == [4])
        let third = try #require(step(&queue, of: 4))
        #expect(third.questions == [8, 9, 10, 11] && third.lags == [0])
        // Two questions are left: not a step's worth.
        let short = step(&queue, of: 4)
        #expect(short == nil)
        #expect(queue.count == 2)
        queue.append([14, 15], samplingVersion: 2)
        let fourth = try #require(step(&queue, of: 4))
        #expect(fourth.questions == [12, 13, 14, 15] && fourth.lags == [0, 3])
        #expect(queue.count == 0)
    }

    @Test("a backlog of many batches is trained a step's worth at a time, never all at once")
    func boundedSteps() {
        var queue = PhaseQueue<Int>()
        for batch in 0..<50 { queue.append(Array(batch * 3..<batch * 3 + 3), samplingVersion: 5) }
        queue.append([], samplingVersion: 1)
        var trained: [Int] = []
        while let taken = step(&queue, of: 8) {
            #expect(taken.questions.count == 8)
            #expect(taken.lags.allSatisfy { $0 == 0 })
            trained += taken.questions
        }
        #expect(trained == Array(0..<144))
        #expect(queue.count == 6)
    }
}
