import Testing
import VRLearner
import VRModel
import VRText
import VRTransport
import VRWire

/// A resumed learner continues the question order where its checkpoint says training stopped.
@Suite("data position")
struct DataPositionTests {
    let codec = WireCodec(vocabularySize: ByteTokenizer.vocabularySize)

    @Test("a learner resumed at position 7 of the question order hands out the questions from 7 on, in order")
    func resumesTheQuestionOrder() async throws {
        let dataset = try InProcessClusterTests.dataset()
        let hub = try InProcessHub()
        let probe = hub.makeWorker(identity: try PeerID("probe"))
        let transport = try hub.makeLearner()
        let configuration = InProcessClusterTests.learnerConfiguration()
        let learner = Task {
            let models = ModelPair(
                reasoning: try Transformer(configuration: InProcessClusterTests.model, seed: 1),
                posterior: try Transformer(configuration: InProcessClusterTests.model, seed: 2))
            let service = try LearnerService(
                configuration: configuration,
                trainer: try LearnerTrainer(models: models, configuration: configuration, dataset: dataset),
                progress: LearnerProgress(parameterVersion: 5, modelSteps: 2, posteriorSteps: 2, questionCursor: 7),
                dataset: dataset, transport: transport, runDirectory: nil)
            return try await service.run()
        }
        try await send(
            .hello(
                WorkerHello(
                    softwareVersion: "probe", parameterVersion: 0, datasetFingerprint: dataset.fingerprint
                )),
            over: probe)
        // The first round's posterior-phase questions go out first ([E9]: q learns on them before pi does).
        var posteriorQuestions: [String] = []
        for _ in 0..<20 where posteriorQuestions.count < configuration.questionsPerStep {
            try await send(.workRequest(WorkRequest(questionCount: 1, parameterVersion: 5)), over: probe)
            guard let assignment = try await nextAssignment(over: probe) else { break }
            posteriorQuestions += assignment.questions.filter { $0.phase == .posterior }.map(\.questionID)
        }
        learner.cancel()
        _ = try await learner.value
        let order = QuestionOrder(ids: dataset.items.map(\.id), seed: configuration.seed)
        #expect(posteriorQuestions.count == configuration.questionsPerStep)
        #expect(posteriorQuestions == order.ids(from: 7, count: posteriorQuestions.count))
        #expect(posteriorQuestions != order.ids(from: 0, count: posteriorQuestions.count))
    }

    private func send(_ message: WireMessage, over transport: any WorkerTransport) async throws {
        try await transport.send(try codec.encode(message, senderID: "probe").map(Frame.init))
    }

    /// The next assignment (perhaps empty), skipping welcomes and heartbeats.
    private func nextAssignment(over transport: any WorkerTransport) async throws -> WorkAssignment? {
        while let frames = try await transport.receive(within: .seconds(10)) {
            if case .workAssignment(let assignment) = try codec.decode(frames.map(\.bytes)).message {
                return assignment
            }
        }
        return nil
    }
}
