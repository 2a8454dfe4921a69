// Connection lifecycle: departures, reconnects with the same identity, events, shutdown and cancellation.

import Testing
import VRTestSupport
import VRTransport

@Suite("lifecycle", .timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test(
        "a worker that leaves is reported, and can come back with the same identity", arguments: TransportKind.allCases)
    func reconnectWithSameIdentity(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let first = try cluster.worker("returning")
            try await first.send(message("hello"))
            _ = try await cluster.learner.receive()
            await first.close()

            var departures = cluster.learner.events.makeAsyncIterator()
            #expect(await departures.next() == .disconnected(first.identity))
            try await eventually {
                await transportErrorCode { try await cluster.learner.send(message("anyone?"), to: first.identity) }
                    == .unreachable(first.identity)
            }

            let second = try cluster.worker("returning")
            try await second.send(message("hello again"))
            let request = try await cluster.learner.receive()
            #expect(request.peer == first.identity)
            #expect(texts(request.frames) == ["hello again"])
            try await cluster.learner.send(message("welcome back"), to: request.peer)
            #expect(try await texts(second.receive()) == ["welcome back"])
        }
    }

    @Test("a worker sees the learner come and go", arguments: TransportKind.allCases)
    func workerConnectionEvents(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("watching")
            var events = worker.events.makeAsyncIterator()
            #expect(await events.next() == .connected)
            #expect(worker.isConnected)
            await cluster.learner.close()
            #expect(await events.next() == .disconnected)
            #expect(!worker.isConnected)
        }
    }

    @Test("close fails a waiting receive with .closed", arguments: TransportKind.allCases)
    func closeEndsWaitingReceive(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("waiting")
            let learnerReceive = Task { await transportErrorCode { _ = try await cluster.learner.receive() } }
            let workerReceive = Task { await transportErrorCode { _ = try await worker.receive() } }
            let publicationReceive = Task { await transportErrorCode { _ = try await worker.receivePublication() } }
            await worker.close()
            await cluster.learner.close()
            #expect(await learnerReceive.value == .closed)
            #expect(await workerReceive.value == .closed)
            #expect(await publicationReceive.value == .closed)
            #expect(await transportErrorCode { try await worker.send(message("late")) } == .closed)
            #expect(await transportErrorCode { try await cluster.learner.publish(message("late")) } == .closed)
            await worker.close()  // a second close returns at once
        }
    }

    @Test("close fails a send that waits for a missing learner, promptly", arguments: TransportKind.allCases)
    func closeEndsWaitingSend(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            await cluster.learner.close()
            let worker = try cluster.worker("orphan")
            let sending = Task { await transportErrorCode { try await worker.send(message("into the void")) } }
            let start = ContinuousClock.now
            await worker.close()
            #expect(await sending.value == .closed)
            #expect(ContinuousClock.now - start < .seconds(5))  // well below the 10 s send timeout
        }
    }

    @Test("closing with undelivered messages returns within the linger time", arguments: TransportKind.allCases)
    func closeWithUndeliveredMessages(kind: TransportKind) async throws {
        try await withCluster(kind, configuration: FlowControlTests.smallBudgets) { cluster in
            let worker = try cluster.worker("stuffed")
            try await worker.send(message("hello"))
            _ = try await cluster.learner.receive()
            _ = try await FlowControlTests.flood { try await worker.send($0) }
            let start = ContinuousClock.now
            await worker.close()
            await cluster.learner.close()
            #expect(ContinuousClock.now - start < .seconds(5))  // linger is 200 ms per transport
        }
    }

    @Test("cancelling a waiting receive or send throws .cancelled", arguments: TransportKind.allCases)
    func cancellation(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("impatient")
            let receiving = Task { await transportErrorCode { _ = try await cluster.learner.receive() } }
            receiving.cancel()
            #expect(await receiving.value == .cancelled)
            // A cancelled receive takes nothing away: the next one gets the next message.
            try await worker.send(message("still here"))
            #expect(try await texts(cluster.learner.receive().frames) == ["still here"])

            await cluster.learner.close()
            let sending = Task { await transportErrorCode { try await worker.send(message("never delivered")) } }
            sending.cancel()
            #expect(await sending.value == .cancelled)
        }
    }
}
