import Foundation
import Synchronization
import Testing
import VRTransport
import VRWire

@testable import VRLearner

/// A training step runs beside the learner's message loop: workers keep hearing from it while the step takes
/// seconds, and what needs the parameters being trained waits for the step.
@Suite("learner serving during a step")
struct LearnerServingTests {
    let codec = WireCodec(vocabularySize: InProcessClusterTests.model.vocabularySize)

    @Test("a hello is welcomed and heartbeats go out while a step runs; a snapshot request waits for the step")
    func servesDuringStep() async throws {
        let dataset = try InProcessClusterTests.dataset()
        let hub = try InProcessHub()
        let worker = hub.makeWorker(identity: try PeerID("w"))
        let learner = try InProcessClusterTests.learner(
            InProcessClusterTests.learnerConfiguration(), dataset: dataset, transport: try hub.makeLearner())
        let clock = ContinuousClock()
        let snapshotRequested = Atomic<Bool>(false)
        let probe = Task { [codec] () -> [(String, ContinuousClock.Instant)] in
            var received: [(String, ContinuousClock.Instant)] = []
            func send(_ message: WireMessage) async throws {
                try await worker.send(try codec.encode(message, senderID: "w").map(Frame.init))
            }
            try await send(
                .hello(
                    WorkerHello(
                        softwareVersion: "test", parameterVersion: 0,
                        datasetFingerprint: dataset.fingerprint)))
            var askedForSnapshot = false
            while let frames = try await worker.receive(within: .seconds(150)) {
                let message = try codec.decode(frames.map(\.bytes)).message
                received.append((message.name, clock.now))
                let heartbeats = received.count(where: { $0.0 == "Heartbeat" })
                if heartbeats == 2 && !askedForSnapshot {
                    askedForSnapshot = true
                    try await send(.snapshotRequest(SnapshotRequest(parameterVersion: 0)))
                    snapshotRequested.store(true, ordering: .releasing)
                }
                if case .parameterAnnouncement = message { break }
            }
            return received
        }
        // The step lasts until the probe has been welcomed, heard two heartbeats and asked for a snapshot (at most
        // 120 s, however slowly a loaded machine runs the probe), then a little longer.
        let outcome = try await learner.serving { () throws(LearnerStepError) -> Int in
            let deadline = Date().addingTimeInterval(120)
            while !snapshotRequested.load(ordering: .acquiring) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            Thread.sleep(forTimeInterval: 0.3)
            return 7
        }
        let stepEnd = clock.now
        await learner.answerSnapshotWaiters()
        let received = try await probe.value
        #expect(try outcome.get() == 7)
        let during = received.filter { $0.1 < stepEnd }.map(\.0)
        #expect(during.first == "Welcome" && during.count { $0 == "Heartbeat" } >= 2, "\(during)")
        // The snapshot was asked for during the step and sent once the step's version was current.
        let announcement = try #require(received.first { $0.0 == "ParameterAnnouncement" })
        #expect(announcement.1 >= stepEnd)
    }
}
