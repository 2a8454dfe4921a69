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
        #expect(Array(restored.models.reasoning.parameters.buffer) == Array(trainer.models.reasoning.parameters.buffer))
        #expect(Array(restored.models.posterior.parameters.buffer) == Array(trainer.models.posterior.parameters.buffer))
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

    /// The progress the checkpoint of `run` restores.
    func restoredProgress(_ run: String) throws -> LearnerProgress {
        try LearnerCheckpoint.read(from: run, optimizer: (AdamWConfiguration(), AdamWConfiguration())).progress
    }

    @Test("every state a crash can leave during a write reads as the old or the new set, never a mixture")
    func crashStates() throws {
        let trainer = try trainer()
        let old = LearnerProgress(parameterVersion: 2, modelSteps: 1, posteriorSteps: 0, questionCursor: 8)
        let new = LearnerProgress(parameterVersion: 3, modelSteps: 2, posteriorSteps: 0, questionCursor: 16)
        let files = FileManager.default
        // The new set, complete, to build partial states from.
        let complete = temporaryDirectory()
        try LearnerCheckpoint.write(trainer, progress: new, to: complete)
        func runWithOld() throws -> String {
            let run = temporaryDirectory()
            try LearnerCheckpoint.write(trainer, progress: old, to: run)
            return run
        }
        // 1. Killed while writing checkpoint.partial: a model file cut short, no progress file yet.
        let writing = try runWithOld()
        try files.createDirectory(atPath: writing + "/checkpoint.partial/reasoning", withIntermediateDirectories: true)
        let model = try Data(contentsOf: URL(fileURLWithPath: complete + "/checkpoint/reasoning/model.safetensors"))
        try model.prefix(model.count / 2).write(
            to: URL(fileURLWithPath: writing + "/checkpoint.partial/reasoning/model.safetensors"))
        #expect(try restoredProgress(writing) == old)
        // 2. Killed after the old set became checkpoint.previous, before the new one was renamed into place.
        let swapping = try runWithOld()
        try files.moveItem(atPath: swapping + "/checkpoint", toPath: swapping + "/checkpoint.previous")
        try files.copyItem(atPath: complete + "/checkpoint", toPath: swapping + "/checkpoint.partial")
        #expect(LearnerCheckpoint.exists(in: swapping))
        #expect(try restoredProgress(swapping) == old)
        // 3. Killed after the new set was renamed into place, before the previous one was removed.
        let cleaning = try runWithOld()
        try files.moveItem(atPath: cleaning + "/checkpoint", toPath: cleaning + "/checkpoint.previous")
        try files.copyItem(atPath: complete + "/checkpoint", toPath: cleaning + "/checkpoint")
        #expect(try restoredProgress(cleaning) == new)
        // A learner resumed from any of them writes its next checkpoint cleanly over what is left.
        for run in [writing, swapping, cleaning] {
            let next = LearnerProgress(parameterVersion: 9, modelSteps: 5, posteriorSteps: 3, questionCursor: 40)
            try LearnerCheckpoint.write(trainer, progress: next, to: run)
            #expect(try restoredProgress(run) == next)
            #expect(try files.contentsOfDirectory(atPath: run) == ["checkpoint"])
        }
    }
}
