import Foundation
import Testing
import VRModel
import VRText
import VRTraining

/// A fresh temporary directory path (not created).
func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "vr-sft-\(UUID().uuidString)"
}

/// A small configuration that trains in a debug build in seconds.
///
/// One layer of width 64 at a constant learning rate of 3e-3 learns the 5-letter reversal in about 200
/// steps of 8 (measured over seeds 0...4 in release builds: 220 steps gave 30/30 exact answers for 4 of 4
/// seeds tried, 200 steps for 4 of 5); the cosine decay of the default schedule needs about 300.
func tinyConfiguration(steps: Int) -> SFTConfiguration {
    var configuration = SFTConfiguration()
    configuration.model = TransformerConfiguration(
        layerCount: 1, width: 64, headCount: 4, contextLength: 24, vocabularySize: ByteTokenizer.vocabularySize)
    configuration.steps = steps
    configuration.batchSize = 8
    configuration.minimumLearningRateRatio = 1
    configuration.warmupSteps = 10
    configuration.logEvery = 10
    return configuration
}

@Suite("SFTTrainer")
struct SFTTrainerTests {
    @Test("[E10] a tiny model learns the toy task: the loss falls far below its start and below uniform")
    func learnsToyTask() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = tinyConfiguration(steps: 240)
        let dataset = ToyCorpus().dataset(count: 1024, seed: 1)
        let trainer = try SFTTrainer(configuration: configuration, dataset: dataset, outputDirectory: directory)
        var events: [TrainingEvent] = []
        let summary = try trainer.run { events.append($0) }
        let initial = try #require(summary.initialLoss)
        let final = try #require(summary.finalLoss)
        let uniform = log(Double(ByteTokenizer.vocabularySize))  // 5.59
        #expect(abs(initial - uniform) < 0.5, "a fresh model is near uniform: \(initial)")
        #expect(final < 0.4 * initial, "loss \(initial) -> \(final)")
        // Letter frequencies alone give about 1.7 on this task; below 1 the model reads the prompt.
        #expect(final < 1, "loss \(initial) -> \(final)")
        #expect(final < 0.5 * uniform)
        #expect(summary.stepCount == 240 && summary.skippedStepCount == 0)
        let reports = events.filter { if case .step = $0 { true } else { false } }
        #expect(reports.count == 24)
        // Greedy answers to problems from another seed.
        let prompts = ToyCorpus().dataset(count: 16, seed: 99).examples
        let samples = try trainer.model.sample(
            prompts: prompts.map { ByteTokenizer().encode($0.prompt) },
            options: SamplingOptions(temperature: 0, maxNewTokens: 8, stopSequences: [[SpecialToken.endOfText.id]]))
        let correct = zip(prompts, samples).filter { example, sample in
            ByteTokenizer().decodeLossy(sample.tokens) == example.response + SpecialToken.endOfText.text
        }
        #expect(correct.count >= 12, "greedy exact \(correct.count)/\(prompts.count), loss \(initial) -> \(final)")
    }
}
