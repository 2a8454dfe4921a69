import Foundation
import Testing
import VRModel
import VRText
import VRTraining

/// A very small run: 1 layer of width 16, 4 steps of 4 sequences.
private func quickConfiguration(steps: Int = 4) -> SFTConfiguration {
    var configuration = tinyConfiguration(steps: steps)
    configuration.model.width = 16
    configuration.model.headCount = 2
    configuration.batchSize = 4
    configuration.logEvery = 2
    return configuration
}

private let quickData = ToyCorpus().dataset(count: 12, seed: 4)

@Suite("SFTTrainer checkpoints and step health")
struct SFTTrainerCheckpointTests {
    @Test("the trainer writes a checkpoint that loads back with its parameters, step and configuration")
    func checkpointLoads() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = quickConfiguration()
        let trainer = try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: directory)
        var checkpoints: [TrainingEvent] = []
        try trainer.run { if case .checkpoint = $0 { checkpoints.append($0) } }
        #expect(checkpoints == [.checkpoint(path: directory, step: 4)])
        let checkpoint = try Checkpoint.read(from: directory)
        #expect(checkpoint.configuration == configuration.model)
        #expect(checkpoint.parameters.array == trainer.model.parameters.array)
        #expect(checkpoint.metadata[SFTTrainer.stepMetadataKey] == "4")
        let state = try Checkpoint.readOptimizerState(
            from: directory, parameterCount: trainer.model.layout.parameterCount)
        #expect(state.stepCount == 4)
        #expect(try SFTConfiguration.load(from: directory + "/" + SFTConfiguration.fileName) == configuration)
        let reloaded = try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
        #expect(try reloaded.score([trainer.examples[0].tokens]) == trainer.model.score([trainer.examples[0].tokens]))
    }

    @Test("checkpointEvery writes intermediate checkpoints")
    func periodicCheckpoints() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = quickConfiguration(steps: 5)
        configuration.checkpointEvery = 2
        let trainer = try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: directory)
        var steps: [Int] = []
        try trainer.run { if case .checkpoint(_, let step) = $0 { steps.append(step) } }
        #expect(steps == [2, 4, 5])
    }

    @Test("an existing checkpoint is not overwritten unless resuming")
    func refusesOverwrite() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SFTTrainer(configuration: quickConfiguration(), dataset: quickData, outputDirectory: directory).run()
        #expect(throws: TrainingError.checkpointExists(path: directory)) {
            try SFTTrainer(configuration: quickConfiguration(), dataset: quickData, outputDirectory: directory)
        }
    }

    @Test("resuming from a mid-run checkpoint ends where an uninterrupted run ends")
    func resume() throws {
        let straight = temporaryDirectory()
        let copy = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: straight)
            try? FileManager.default.removeItem(atPath: copy)
        }
        var configuration = quickConfiguration(steps: 6)
        configuration.checkpointEvery = 3
        let whole = try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: straight)
        try whole.run { event in
            // Keep the state after step 3, as a crash would.
            if case .checkpoint(_, 3) = event { try? FileManager.default.copyItem(atPath: straight, toPath: copy) }
        }
        #expect(try Checkpoint.read(from: copy).metadata[SFTTrainer.stepMetadataKey] == "3")
        let resumed = try SFTTrainer(
            configuration: configuration, dataset: quickData, outputDirectory: copy, resume: true)
        #expect(resumed.completedSteps == 3)
        var started: [TrainingEvent] = []
        let summary = try resumed.run { if case .started = $0 { started.append($0) } }
        #expect(summary.stepCount == 3)
        #expect(started.count == 1)
        #expect(resumed.model.parameters.array == whole.model.parameters.array)
        #expect(resumed.optimizer.stepCount == 6)
    }

    @Test("the checkpoint records the steps' wall time over every resume, unknown for one written before it")
    func trainingSeconds() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = quickConfiguration(steps: 6)
        configuration.checkpointEvery = 3
        let key = SFTTrainer.trainingSecondsMetadataKey
        let first = try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: directory)
        #expect(first.trainingSeconds == 0)
        var recorded: [Double] = []
        try first.run { event in
            if case .checkpoint = event,
                let text = try? Checkpoint.read(from: directory).metadata[key], let seconds = Double(text)
            {
                recorded.append(seconds)
            }
        }
        #expect(recorded.count == 2)
        #expect(recorded[0] > 0 && recorded[1] > recorded[0])
        #expect(recorded[1] == first.trainingSeconds)
        // Resumed from the final checkpoint with more steps, the record grows from where it was.
        configuration.steps = 8
        let resumed = try SFTTrainer(
            configuration: configuration, dataset: quickData, outputDirectory: directory, resume: true)
        #expect(resumed.trainingSeconds == recorded[1])
        try resumed.run()
        let total = try #require(resumed.trainingSeconds)
        #expect(total > recorded[1])
        #expect(try Checkpoint.read(from: directory).metadata[key] == String(total))
        // A checkpoint without the record continues with an unknown wall time and writes none.
        let checkpoint = try Checkpoint.read(from: directory)
        let metadata = checkpoint.metadata.filter { !Checkpoint.reservedMetadataKeys.contains($0.key) }
        try Checkpoint.write(
            configuration: checkpoint.configuration, parameters: checkpoint.parameters, to: directory,
            metadata: metadata.filter { $0.key != key })
        configuration.steps = 9
        let older = try SFTTrainer(
            configuration: configuration, dataset: quickData, outputDirectory: directory, resume: true)
        #expect(older.trainingSeconds == nil)
        try older.run()
        #expect(older.trainingSeconds == nil)
        #expect(try Checkpoint.read(from: directory).metadata[key] == nil)
        // A record that is no duration is refused, naming the key.
        try Checkpoint.write(
            configuration: checkpoint.configuration, parameters: checkpoint.parameters, to: directory,
            metadata: metadata.merging([key: "-1"]) { $1 })
        #expect(
            throws: TrainingError.invalidConfiguration(
                "cannot resume from \(directory): \(key) is -1.0, not a duration")
        ) {
            try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: directory, resume: true)
        }
    }

    @Test("[E10] a step's loss is -(1/(C B)) times the weighted sum of the response log-probabilities")
    func stepLoss() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = quickConfiguration()
        let trainer = try SFTTrainer(configuration: configuration, dataset: quickData, outputDirectory: directory)
        var sampler = BatchSampler(
            exampleCount: quickData.examples.count, batchSize: configuration.batchSize, seed: configuration.seed)
        let batch = sampler.batch(at: 0).map { trainer.examples[$0] }
        let logProbs = try trainer.model.score(batch.map(\.tokens))
        var weightedSum = 0.0
        for (example, values) in zip(batch, logProbs) {
            for (weight, logP) in zip(example.targetWeights, values) { weightedSum += Double(weight * logP) }
        }
        let expected = -weightedSum / (trainer.normalizerConstant * Double(batch.count))
        let outcome = try trainer.step(0)
        #expect(abs(outcome.loss - expected) < 1e-4 * abs(expected), "\(outcome.loss) vs \(expected)")
        #expect(outcome.applied)
        #expect(outcome.tokenCount == batch.reduce(0) { $0 + $1.tokens.count })
    }

    @Test(
        "a step is healthy only when its loss and gradient norm are finite",
        arguments: [
            (1.5, 0.3, true), (.nan, 0.3, false), (1.5, .nan, false), (.infinity, 0.3, false),
            (1.5, .infinity, false), (0, 0, true),
        ])
    func health(loss: Double, gradientNorm: Double, healthy: Bool) {
        #expect(GuardedUpdate.isHealthy(loss: loss, gradientNorm: gradientNorm) == healthy)
    }

    @Test("non-finite steps are skipped and counted, leaving parameters and optimizer unchanged")
    func skipsNonFiniteSteps() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = quickConfiguration(steps: 3)
        let model = try Transformer(configuration: configuration.model, seed: 1)
        // A NaN in the final LayerNorm scale makes every logit, loss and gradient NaN.
        let finalScale = try #require(model.layout.views.first { $0.name == "ln_f.weight" })
        model.parameters[finalScale.offset] = .nan
        let before = model.parameters.array
        let trainer = try SFTTrainer(
            configuration: configuration, dataset: quickData, outputDirectory: directory, initialModel: model)
        var skipped: [Int] = []
        let summary = try trainer.run { if case .skippedStep(let index, _, _) = $0 { skipped.append(index) } }
        #expect(skipped == [0, 1, 2])
        #expect(summary.skippedStepCount == 3 && summary.stepCount == 3)
        #expect(summary.initialLoss == nil && summary.finalLoss == nil)
        #expect(trainer.optimizer.stepCount == 0)
        let after = trainer.model.parameters.array
        #expect(zip(before, after).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
