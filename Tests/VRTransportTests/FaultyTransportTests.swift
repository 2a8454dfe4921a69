// Fault injection: the plan picks messages deterministically, and the wrappers apply it to real sends.

import Testing
import VRTransport

@Suite("faulty transports", .timeLimit(.minutes(1)))
struct FaultyTransportTests {
    @Test("the plan picks faults by message number, drop before corrupt before duplicate")
    func planSequence() {
        let plan = FaultPlan(dropEvery: 4, duplicateEvery: 2, corruptEvery: 3)
        let faults = (1...12).map { plan.fault(forMessage: $0) }
        #expect(
            faults == [
                .deliver, .duplicate, .corrupt, .drop, .deliver, .corrupt,
                .deliver, .drop, .corrupt, .duplicate, .deliver, .drop,
            ])
        #expect(FaultPlan().fault(forMessage: 7) == .deliver)
    }

    @Test("corruption inverts one byte of the last non-empty frame")
    func corruption() {
        let original = [Frame("header"), Frame([1, 2, 3]), Frame([])]
        let corrupted = FaultPlan.corrupted(original)
        #expect(corrupted[0] == original[0])
        #expect(corrupted[1].bytes == [1, 0xfd, 3])
        #expect(corrupted[2].isEmpty)
        #expect(original[1].bytes == [1, 2, 3])  // the sender's frame is untouched
    }

    @Test("a faulty worker drops, duplicates and corrupts what the learner receives", arguments: TransportKind.allCases)
    func faultyWorker(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let plan = FaultPlan(dropEvery: 3, duplicateEvery: 2, corruptEvery: 5)
            let worker = FaultyWorkerTransport(wrapping: try cluster.worker("unreliable"), plan: plan)
            for index in 1...6 { try await worker.send(message("\(index)", "payload")) }
            try await worker.send(message("end"))  // message 7: delivered
            var received: [[String]] = []
            while received.last != ["end"] { received.append(texts(try await cluster.learner.receive().frames)) }
            // 1 deliver, 2 duplicate, 3 drop, 4 duplicate, 5 corrupt (one byte of "payload" inverted), 6 drop.
            let corrupted = texts(FaultPlan.corrupted(message("5", "payload")))
            #expect(
                received == [
                    ["1", "payload"], ["2", "payload"], ["2", "payload"], ["4", "payload"],
                    ["4", "payload"], corrupted, ["end"],
                ])
        }
    }

    @Test("a faulty learner delays its replies")
    func delayedReplies() async throws {
        try await withCluster(.inProcess) { cluster in
            let learner = FaultyLearnerTransport(wrapping: cluster.learner, plan: FaultPlan(delay: .milliseconds(100)))
            let worker = try cluster.worker("patient")
            let start = ContinuousClock.now
            try await learner.send(message("late"), to: worker.identity)
            #expect(ContinuousClock.now - start >= .milliseconds(100))
            #expect(try await texts(worker.receive()) == ["late"])
        }
    }
}
