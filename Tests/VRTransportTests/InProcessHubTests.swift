// Behaviour only the in-process twin has: simulated link failures and identity takeover.

import Testing
import VRTestSupport
import VRTransport

@Suite("in-process hub", .timeLimit(.minutes(1)))
struct InProcessHubTests {
    @Test("a link failure disconnects both ends until the link is restored")
    func linkFailure() async throws {
        var configuration = TransportConfiguration.testing
        configuration.sendTimeoutMilliseconds = 100
        let hub = try InProcessHub(configuration: configuration)
        let learner = try hub.makeLearner()
        let worker = hub.makeWorker(identity: try PeerID("flaky"))
        var workerEvents = worker.events.makeAsyncIterator()
        var learnerEvents = learner.events.makeAsyncIterator()
        #expect(await workerEvents.next() == .connected)

        hub.setLink(of: worker.identity, up: false)
        #expect(await workerEvents.next() == .disconnected)
        #expect(await learnerEvents.next() == .disconnected(worker.identity))
        #expect(!worker.isConnected)
        #expect(await transportErrorCode { try await worker.send(message("lost")) } == .timedOut)
        #expect(
            await transportErrorCode { try await learner.send(message("lost"), to: worker.identity) }
                == .unreachable(worker.identity))

        hub.setLink(of: worker.identity, up: true)
        #expect(await workerEvents.next() == .connected)
        try await worker.send(message("back"))
        #expect(try await texts(learner.receive().frames) == ["back"])
        await worker.close()
        await learner.close()
    }

    @Test("a second worker with the same identity takes it over; one learner at a time")
    func takeover() async throws {
        let hub = try InProcessHub(configuration: .testing)
        let learner = try hub.makeLearner()
        #expect(throws: TransportError.self) { try hub.makeLearner() }
        let old = hub.makeWorker(identity: try PeerID("twin"))
        var oldEvents = old.events.makeAsyncIterator()
        #expect(await oldEvents.next() == .connected)
        let new = hub.makeWorker(identity: try PeerID("twin"))
        #expect(await oldEvents.next() == .disconnected)
        try await learner.send(message("for the new one"), to: new.identity)
        #expect(try await texts(new.receive()) == ["for the new one"])
        await old.close()
        await new.close()
        await learner.close()
    }
}
