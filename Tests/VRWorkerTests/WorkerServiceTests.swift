// The worker service against a scripted learner over the in-process transport: what goes over the wire.

import Synchronization
import Testing
import VRCore
import VRModel
import VRTasks
import VRTestSupport
import VRText
import VRTransport
import VRWire
import VRWorker

@Suite("worker service")
struct WorkerServiceTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)
    static let model = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: ByteTokenizer.vocabularySize)

    /// The events a worker reported.
    final class EventLog: Sendable {
        let events = Mutex<[WorkerEvent]>([])
    }

    static func dataset() throws -> TaskDataset {
        try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)], countPerConfiguration: 2,
            split: .train)
    }

    static func configuration(maxBatches: Int) -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.rollout.maxTraceTokens = 6
        configuration.rollout.answersPerTrace = 2
        configuration.rollout.maxAnswerTokens = 4
        configuration.maxBatches = maxBatches
        return configuration
    }

    /// The learner's side of the conversation, played by the test.
    struct ScriptedLearner {
        let transport: InProcessLearnerTransport
        let codec: WireCodec

        /// The next message from the worker other than a heartbeat, or a hello said again (a loaded machine may
        /// delay the welcome past the worker's hello interval) unless `hello` asks for it.
        func next(hello: Bool = false) async throws -> (PeerID, WireMessage) {
            while true {
                let received = try await transport.receive()
                let message = try codec.decode(received.frames.map(\.bytes)).message
                switch message {
                case .heartbeat: continue
                case .hello where !hello: continue
                default: return (received.peer, message)
                }
            }
        }

        func send(_ message: WireMessage, to peer: PeerID) async throws {
            try await transport.send(try codec.encode(message, senderID: "learner").map(Frame.init), to: peer)
        }

        /// Welcomes the worker and answers its snapshot request with version 1 of random tiny models.
        func welcomeAndServeSnapshot(to peer: PeerID) async throws {
            try await send(
                .welcome(
                    Welcome(
                        learnerInstanceID: "learner-1", parameterVersion: 1, heartbeatInterval: .milliseconds(100),
                        heartbeatLiveness: 50, maxLag: 2)),
                to: peer)
            let (_, request) = try await next()
            #expect(request == .snapshotRequest(SnapshotRequest(parameterVersion: 0)))
            let configuration = ModelPair.Configuration(reasoning: model, posterior: model)
            var generator = SeededGenerator(seed: 1)
            let values = (0..<configuration.parameterCount).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
            let snapshot = values.withUnsafeBufferPointer {
                ParameterSnapshot(
                    parameters: $0, parameterVersion: 1, modelConfigurationJSON: configuration.json,
                    chunkByteCount: 1 << 14)
            }
            for message in snapshot.messages { try await send(message, to: peer) }
        }
    }

    @Test("a worker joins, loads the snapshot, samples its assignment, sends the batch and stops at its budget")
    func oneAssignment() async throws {
        let dataset = try Self.dataset()
        let hub = try InProcessHub()
        let learner = ScriptedLearner(transport: try hub.makeLearner(), codec: codec)
        let log = EventLog()
        let worker = try WorkerService(
            configuration: Self.configuration(maxBatches: 1), dataset: dataset,
            transport: hub.makeWorker(identity: try PeerID("w1")),
            onEvent: { event in log.events.withLock { $0.append(event) } })
        let run = Task { try await worker.run() }

        let (peer, hello) = try await learner.next(hello: true)
        #expect(peer.description == "w1")
        #expect(
            hello
                == .hello(
                    WorkerHello(
                        softwareVersion: WorkerStateMachine.softwareVersion, parameterVersion: 0,
                        datasetFingerprint: dataset.fingerprint)))
        try await learner.welcomeAndServeSnapshot(to: peer)
        #expect(try await learner.next().1 == .workRequest(WorkRequest(questionCount: 1, parameterVersion: 1)))
        let question = dataset.items[0].id
        try await learner.send(
            .workAssignment(
                WorkAssignment(
                    assignmentID: 5, parameterVersion: 1,
                    questions: [QuestionAssignment(questionID: question, phase: .model, traceCount: 2)])),
            to: peer)
        guard case .rolloutBatch(let batch) = try await learner.next().1 else {
            Issue.record("no batch")
            return
        }
        #expect(batch.workerID == "w1" && batch.batchSequence == 1 && batch.assignmentID == 5)
        #expect(batch.samplingParameterVersion == 1 && batch.scoringParameterVersion == 1)
        #expect(batch.questions.map(\.questionID) == [question] && batch.questions[0].traces.count == 2)
        try await learner.send(
            .batchAck(BatchAck(batchSequence: 1, status: .accepted, parameterVersion: 1)), to: peer)

        let summary = try await run.value
        #expect(summary.batchCount == 1 && summary.traceCount == 2 && summary.parameterVersion == 1)
        let events = log.events.withLock { $0 }
        #expect(
            events == [
                .welcomed(learnerInstanceID: "learner-1", parameterVersion: 1),
                .applied(parameterVersion: 1, viaSnapshot: true), .assigned(assignmentID: 5, questionCount: 1),
                events[3], .batchAcknowledged(sequence: 1, status: "accepted", detail: ""),
            ])
        guard case .batchSent(1, 5, 1, 2, _) = events[3] else {
            Issue.record("expected the batch sent, got \(events[3])")
            return
        }
    }

    /// A worker without a batch budget, joined to a scripted learner and asking for work at version 1.
    private func workingWorker() async throws -> (ScriptedLearner, PeerID, Task<WorkerSummary, any Error>) {
        let hub = try InProcessHub()
        let learner = ScriptedLearner(transport: try hub.makeLearner(), codec: codec)
        let worker = try WorkerService(
            configuration: Self.configuration(maxBatches: 0), dataset: try Self.dataset(),
            transport: hub.makeWorker(identity: try PeerID("w1")))
        let run = Task { try await worker.run() }
        let (peer, _) = try await learner.next(hello: true)
        try await learner.welcomeAndServeSnapshot(to: peer)
        #expect(try await learner.next().1 == .workRequest(WorkRequest(questionCount: 1, parameterVersion: 1)))
        return (learner, peer, run)
    }

    @Test("a question outside the worker's dataset stops it with an error naming the question")
    func unknownQuestion() async throws {
        let (learner, peer, run) = try await workingWorker()
        try await learner.send(
            .workAssignment(
                WorkAssignment(
                    assignmentID: 1, parameterVersion: 1,
                    questions: [QuestionAssignment(questionID: "nowhere/1", phase: .model, traceCount: 2)])),
            to: peer)
        await #expect(throws: WorkerError.unknownQuestion("nowhere/1")) { try await run.value }
    }

    @Test("a stopped worker says goodbye, so the learner hands its work out at once")
    func goodbyeOnStop() async throws {
        let (learner, _, run) = try await workingWorker()
        run.cancel()
        #expect(try await learner.next().1 == .goodbye(Goodbye(reason: "worker stopping")))
        #expect(try await run.value.batchCount == 0)
    }
}
