// ZMTP heartbeats: both ends notice a peer that hangs without closing its connection, and recover after.

import Testing
import VRTestSupport
import VRTransport
import VRZMQ

@Suite("heartbeats", .timeLimit(.minutes(1)))
struct HeartbeatTests {
    @Test("a hung connection is detected by heartbeats on both ends; the worker reconnects once it recovers")
    func frozenPeer() async throws {
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = "tcp://127.0.0.1:*"
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.lingerMilliseconds = 0
        configuration.heartbeatIntervalMilliseconds = 100
        configuration.heartbeatTimeoutMilliseconds = 600
        configuration.reconnectMinimumMilliseconds = 20
        configuration.reconnectMaximumMilliseconds = 200
        let learner = try ZMQLearnerTransport(configuration: configuration)
        let upstreamPort = try #require(learner.requestEndpoint.split(separator: ":").last.flatMap { UInt16($0) })
        let relay = try TCPRelay(upstreamPort: upstreamPort)
        var workerConfiguration = learner.workerConfiguration
        workerConfiguration.requestEndpoint = "tcp://127.0.0.1:\(relay.port)"
        let worker = try ZMQWorkerTransport(identity: try PeerID("hangs"), configuration: workerConfiguration)

        try await withTimeout(seconds: 30) {
            var workerEvents = worker.events.makeAsyncIterator()
            var learnerEvents = learner.events.makeAsyncIterator()
            try await worker.send([Frame("hello")])
            _ = try await learner.receive()
            #expect(await workerEvents.next() == .connected)

            relay.freeze()
            let frozenAt = ContinuousClock.now
            // Nothing closes the TCP connections: only missing heartbeat replies can reveal the hang.
            #expect(await learnerEvents.next() == .disconnected(worker.identity))
            #expect(await workerEvents.next() == .disconnected)
            #expect(ContinuousClock.now - frozenAt >= .milliseconds(300))
            // libzmq reports the disconnect slightly before the ROUTER drops the route, so poll for it.
            try await eventually {
                await transportErrorCode { try await learner.send([Frame("are you there?")], to: worker.identity) }
                    == .unreachable(worker.identity)
            }

            relay.thaw()
            #expect(await workerEvents.next() == .connected)
            try await worker.send([Frame("back")])
            #expect(try await learner.receive().frames == [Frame("back")])
        }
        await worker.close()
        await learner.close()
        await relay.stop()
    }
}
