// The bounded receive queue: taking one message or everything queued, space accounting, closing.

import Testing
import VRTestSupport
import VRTransport

@Suite("message queue", .timeLimit(.minutes(1)))
struct MessageQueueTests {
    @Test("takeAll hands over every queued message in order and reports the freed space once")
    func takeAllDrains() async throws {
        let freed = Counter()
        let queue = MessageQueue<Int>(byteBudget: 10, cost: { _ in 4 }, spaceFreed: { freed.increment() })
        #expect(queue.offer(1) == .accepted)
        #expect(queue.offer(2) == .accepted)
        #expect(queue.offer(3) == .full)  // 8 + 4 bytes would pass the budget of 10
        queue.push(3)
        #expect(!queue.hasSpace)
        #expect(try await queue.takeAll() == [1, 2, 3])
        #expect(freed.value == 1)
        #expect(queue.hasSpace)
    }

    @Test("takeAll on an empty queue waits for the next message")
    func takeAllWaits() async throws {
        let queue = MessageQueue<Int>(byteBudget: 100, cost: { _ in 1 })
        let taking = Task { try await queue.takeAll() }
        try await Task.sleep(for: .milliseconds(20))
        #expect(queue.offer(7) == .accepted)
        #expect(try await taking.value == [7])
    }

    @Test("take and takeAll share one order")
    func mixedTakes() async throws {
        let queue = MessageQueue<Int>(byteBudget: 100, cost: { _ in 1 })
        for value in 0..<5 { queue.push(value) }
        #expect(try await queue.take() == 0)
        #expect(try await queue.takeAll() == [1, 2, 3, 4])
        queue.push(5)
        #expect(try await queue.take() == 5)
    }

    @Test("a closed queue fails takeAll with .closed")
    func closedQueue() async throws {
        let queue = MessageQueue<Int>(byteBudget: 100, cost: { _ in 1 })
        queue.push(1)
        queue.close()
        #expect(await transportErrorCode { _ = try await queue.takeAll() } == .closed)
    }
}
