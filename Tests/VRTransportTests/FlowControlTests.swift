// Bounded memory: sends beyond the byte budgets wait and then fail; nothing grows without bound.

import Testing
import VRTestSupport
import VRTransport

@Suite("flow control", .timeLimit(.minutes(2)))
struct FlowControlTests {
    /// 256 KiB budgets and 64 KiB messages: libzmq high-water marks of 4 messages per connection. The heartbeat
    /// timeout is long because heartbeats travel in-band: a stalled connection delays them, and a stall longer
    /// than the timeout drops the connection (with what it had queued).
    static var smallBudgets: TransportConfiguration {
        var configuration = TransportConfiguration.testing
        configuration.sendHighWaterMarkBytes = 256 << 10
        configuration.receiveHighWaterMarkBytes = 256 << 10
        configuration.requestMessageBytes = 64 << 10
        configuration.sendTimeoutMilliseconds = 500
        configuration.heartbeatTimeoutMilliseconds = 30_000
        return configuration
    }

    /// At most this many 64 KiB messages may be accepted before a send is held back: 64 MiB, far above the
    /// budgets plus the kernel's loopback socket buffers, far below "unbounded".
    static let acceptedBound = 1_000

    /// A send that takes this long was held back by a full queue (an unhindered send takes microseconds; the
    /// margin absorbs a loaded machine).
    static let heldBack: Duration = .milliseconds(200)

    /// Sends 64 KiB messages until one is held back: it times out, or takes `heldBack` or longer (libzmq lets a
    /// stalled connection trickle a message through now and then, so a send may succeed just before its
    /// deadline). Returns how many messages were accepted and whether the last send timed out.
    static func flood(_ send: (Multipart) async throws -> Void) async throws -> (accepted: Int, timedOut: Bool) {
        let payload = Frame(count: 64 << 10) { $0.initializeMemory(as: UInt8.self, repeating: 7) }
        for index in 0..<acceptedBound {
            let start = ContinuousClock.now
            let code = await transportErrorCode { try await send([Frame("\(index)"), payload]) }
            switch code {
            case nil where ContinuousClock.now - start >= heldBack: return (index + 1, false)
            case nil: continue
            case .timedOut?: return (index, true)
            case let other?:
                Issue.record("unexpected \(other) after \(index) messages")
                return (index, false)
            }
        }
        Issue.record("no send was held back after \(acceptedBound) messages: memory is not bounded")
        return (acceptedBound, false)
    }

    @Test(
        "a worker's sends to a learner that does not receive time out, then recover", arguments: TransportKind.allCases)
    func workerToLearner(kind: TransportKind) async throws {
        try await withCluster(kind, configuration: Self.smallBudgets) { cluster in
            let worker = try cluster.worker("flooding")
            try await worker.send(message("hello"))
            _ = try await cluster.learner.receive()

            let (accepted, timedOut) = try await Self.flood { try await worker.send($0) }
            #expect(accepted >= 1)
            if kind == .inProcess {
                // Exact byte accounting: three messages of 64 KiB plus overhead fit in 256 KiB.
                #expect(accepted == 3)
                #expect(timedOut)
            }

            // Everything accepted arrives, in order; afterwards sends work again.
            for index in 0..<accepted {
                #expect(try await texts(cluster.learner.receive().frames)[0] == "\(index)")
            }
            try await worker.send(message("after the flood"))
            #expect(try await texts(cluster.learner.receive().frames) == ["after the flood"])
        }
    }

    @Test(
        "the learner's sends to a worker that does not receive time out, then recover",
        arguments: TransportKind.allCases)
    func learnerToWorker(kind: TransportKind) async throws {
        try await withCluster(kind, configuration: Self.smallBudgets) { cluster in
            let worker = try cluster.worker("not-reading")
            try await worker.send(message("hello"))
            let peer = try await cluster.learner.receive().peer

            let (accepted, timedOut) = try await Self.flood { try await cluster.learner.send($0, to: peer) }
            #expect(accepted >= 1)
            if kind == .inProcess { #expect(accepted == 3 && timedOut) }
            for index in 0..<accepted {
                #expect(try await texts(worker.receive())[0] == "\(index)")
            }
            try await cluster.learner.send(message("after the flood"), to: peer)
            #expect(try await texts(worker.receive()) == ["after the flood"])
        }
    }

    @Test("a worker's send times out while the learner is unreachable", arguments: TransportKind.allCases)
    func sendTimesOutWithoutLearner(kind: TransportKind) async throws {
        var configuration = TransportConfiguration.testing
        configuration.sendTimeoutMilliseconds = 300
        try await withCluster(kind, configuration: configuration) { cluster in
            await cluster.learner.close()
            let worker = try cluster.worker("alone")
            let start = ContinuousClock.now
            #expect(await transportErrorCode { try await worker.send(message("anyone?")) } == .timedOut)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }

    @Test("a reply to a worker that is not connected fails at once", arguments: TransportKind.allCases)
    func unreachablePeer(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let stranger = try PeerID("nobody")
            let code = await transportErrorCode { try await cluster.learner.send(message("hi"), to: stranger) }
            #expect(code == .unreachable(stranger))
        }
    }

    @Test(
        "publishing to subscribers that do not read drops messages instead of waiting",
        arguments: TransportKind.allCases)
    func publishNeverWaits(kind: TransportKind) async throws {
        var configuration = Self.smallBudgets
        configuration.publishMessageBytes = 64 << 10
        try await withCluster(kind, configuration: configuration) { cluster in
            _ = try cluster.worker("never-reads")
            let payload = Frame(count: 64 << 10) { $0.initializeMemory(as: UInt8.self, repeating: 1) }
            let start = ContinuousClock.now
            for _ in 0..<500 { try await cluster.learner.publish([payload]) }
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test("messages that cannot travel are rejected before sending", arguments: TransportKind.allCases)
    func invalidMessages(kind: TransportKind) async throws {
        var configuration = TransportConfiguration.testing
        configuration.maximumFrameBytes = 1_024
        try await withCluster(kind, configuration: configuration) { cluster in
            let worker = try cluster.worker("careless")
            #expect(await transportErrorCode { try await worker.send([]) } == .invalidMessage)
            let large = Frame([UInt8](repeating: 0, count: 1_025))
            #expect(await transportErrorCode { try await worker.send([large]) } == .invalidMessage)
            #expect(await transportErrorCode { try await cluster.learner.publish([large]) } == .invalidMessage)
        }
    }
}
