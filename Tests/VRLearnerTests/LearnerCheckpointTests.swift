import Foundation
import Testing
import VRLearner
import VRModel
import VRTasks

/// The learner's state on disk: both models, their optimizers and the progress, replaced as a set.
@Suite("learner checkpoint")
struct LearnerCheckpointTests {
    let model = TransformerConfiguration(layerCount: 1, width: 16, headCount: 2, contextLength: 96, vocabularySize: 268)

    func trainer() throws -> LearnerTrainer {
        let models = ModelPair(
            reasoning: try Transformer(configuration: model, seed: 1),
            posterior: try Transformer(configuration: model, seed: 2))
        let reasoningOptimizer = AdamW(configuration: AdamWConfiguration(), layout: models.reasoning.layout)
        reasoningOptimizer.step(
            parameters: models.reasoning.parameters, gradients: models.reasoning.parameters, learningRate: 1e-3)
        let dataset = try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)], countPerConfiguration: 4,
            split: .train)
        return try LearnerTrainer(
            models: models,
            optimizers: (
                reasoningOptimizer, AdamW(configuration: AdamWConfiguration(), layout: models.posterior.layout)
            ),
            stepCounts: (3, 2), configuration: LearnerConfiguration(), dataset: dataset)
    }

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vr-learner-\(UUID().uuidString)").path
    }

    @Test("a checkpoint restores both models, both optimizers and the progress exactly")
    func roundTrip() throws {
        let trainer = try trainer()
        let run = temporaryDirectory()
        let progress = LearnerProgress(parameterVersion: 6, modelSteps: 3, posteriorSteps: 2, questionCursor: 40)
        try LearnerCheckpoint.write(trainer, progress: progress, to: run)
        let restored = try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
        #expect(restored.progress == progress)
        #expect(restored.models.combinedParameters == trainer.models.combinedParameters)
        #expect(restored.optimizers.reasoning.stepCount == 1 && restored.optimizers.posterior.stepCount == 0)
        #expect(restored.optimizers.reasoning.secondMoment.array == trainer.reasoningOptimizer.secondMoment.array)
        // Writing again replaces the set; nothing partial or previous is left behind.
        try LearnerCheckpoint.write(trainer, progress: progress, to: run)
        let names = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
        #expect(names == ["checkpoint"])
    }

    @Test("a crash between the two renames leaves the previous set, which is read instead")
    func interruptedSwap() throws {
        let run = temporaryDirectory()
        let progress = LearnerProgress(parameterVersion: 2, modelSteps: 1, posteriorSteps: 0, questionCursor: 8)
        try LearnerCheckpoint.write(try trainer(), progress: progress, to: run)
        try FileManager.default.moveItem(atPath: run + "/checkpoint", toPath: run + "/checkpoint.previous")
        let restored = try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
        #expect(restored.progress == progress)
    }

    @Test("a damaged progress file is refused with its path")
    func damaged() throws {
        let run = temporaryDirectory()
        try LearnerCheckpoint.write(
            try trainer(),
            progress: LearnerProgress(parameterVersion: 2, modelSteps: 1, posteriorSteps: 0, questionCursor: 0),
            to: run)
        try Data("{\"parameterVersion\": 0}".utf8).write(to: URL(fileURLWithPath: run + "/checkpoint/learner.json"))
        #expect {
            try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration()))
        } throws: { error in
            "\(error)".contains("learner.json")
        }
    }
}
