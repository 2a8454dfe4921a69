// Supervised fine-tuning: shuffled batches of prompt/response examples, the Dr. SFT loss ([E10]), AdamW.

import VRCore
import VRModel
import VRObjectives
import VRTensor
import VRText

/// Trains a transformer on prompt/response pairs with the constant-normalizer SFT loss of [E10].
///
/// Each step takes the next batch from a seeded shuffle (`BatchSampler`), runs forward and backward with
/// the response-only target weights of `SFTExample` and the normalizer `C * B` ([E10], see
/// `DrSFTNormalizer`), clips the gradient norm, and takes an AdamW step at the scheduled learning rate.
/// A step whose loss or gradient norm is not finite leaves the parameters and the optimizer unchanged and
/// is counted as skipped. Checkpoints (model, optimizer state, `sft-config.json`) go to the output
/// directory, every `checkpointEvery` steps and at the end.
public final class SFTTrainer {
    /// The run's settings.
    public let configuration: SFTConfiguration
    /// The model being trained.
    public let model: Transformer
    /// The optimizer state.
    public let optimizer: AdamW
    /// The tokenized training set.
    public let examples: [SFTExample]
    /// The constant C of [E10]: mean weighted targets per example over the training set.
    public let normalizerConstant: Double
    /// Where checkpoints are written.
    public let outputDirectory: String
    /// The model's tokenizer and chat format, written beside every checkpoint.
    public let text: ModelText
    /// Steps completed so far, including those of a resumed run.
    public internal(set) var completedSteps: Int
    /// The wall time in seconds of the completed steps, over every resume; nil when they continue a checkpoint
    /// written before it was recorded.
    public internal(set) var trainingSeconds: Double?
    /// The batches of every step.
    private var sampler: BatchSampler

    /// The outcome of one step.
    public struct StepOutcome: Sendable, Equatable {
        /// The step's loss, `-(1/(C B)) sum w log p`.
        public let loss: Double
        /// The gradient norm before clipping.
        public let gradientNorm: Double
        /// The scheduled learning rate of the step.
        public let learningRate: Float
        /// Tokens in the batch, prompts included.
        public let tokenCount: Int
        /// Whether the update was applied (false when loss or norm was not finite).
        public let applied: Bool
    }

    /// Prepares a run: tokenizes the data, builds (or restores) the model and optimizer.
    /// - Parameters:
    ///   - configuration: the run's settings; validated here.
    ///   - dataset: the training examples.
    ///   - outputDirectory: where the configuration and checkpoints are written.
    ///   - resume: continue from the checkpoint in `outputDirectory` if there is one.
    ///   - initialModel: a model to start from instead of a fresh one seeded by `configuration.seed`; its
    ///     configuration must equal `configuration.model`.
    ///   - text: the model's tokenizer (the byte tokenizer for the built-in family).
    /// - Throws: `TrainingError.invalidConfiguration` for a bad configuration or a mismatched model,
    ///   `.exampleTooLong`, `.checkpointExists` when the directory holds a checkpoint and `resume` is false,
    ///   `.model` for an unreadable checkpoint, `.io` if the configuration cannot be written.
    public init(
        configuration: SFTConfiguration, dataset: PromptResponseDataset, outputDirectory: String,
        resume: Bool = false, initialModel: Transformer? = nil, text: ModelText = .bytes
    ) throws(TrainingError) {
        try configuration.validate()
        guard !dataset.examples.isEmpty else { throw .emptyDataset(path: "the dataset") }
        let examples = try SFTExample.tokenize(
            dataset, text: text, contextLength: configuration.model.contextLength,
            truncate: configuration.truncateLongExamples)
        let model: Transformer
        if let initialModel {
            model = initialModel
        } else {
            model = try Self.freshModel(configuration)
        }
        guard model.configuration == configuration.model else {
            throw .invalidConfiguration("the given model's architecture differs from the configuration's model")
        }
        self.configuration = configuration
        self.model = model
        self.examples = examples
        self.normalizerConstant = try DrSFTNormalizer.constant(for: examples)  // [E10] C over the whole set
        self.outputDirectory = outputDirectory
        self.sampler = BatchSampler(
            exampleCount: examples.count, batchSize: configuration.batchSize, seed: configuration.seed)
        let restored = try Self.restore(
            into: model, optimizer: configuration.optimizer, from: outputDirectory, resume: resume)
        self.optimizer = restored.optimizer
        self.completedSteps = restored.completedSteps
        self.trainingSeconds = restored.trainingSeconds
        self.text = text
        try configuration.write(toDirectory: outputDirectory)
    }

    /// Trains from `completedSteps` to `configuration.steps`, then writes the final checkpoint.
    /// - Parameter onEvent: receives progress reports, on the calling thread.
    /// - Returns: what the run did.
    /// - Throws: `TrainingError.model` if a batch is rejected or a checkpoint cannot be written.
    @discardableResult
    public func run(onEvent: (TrainingEvent) -> Void = { _ in }) throws(TrainingError) -> TrainingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds(since instant: ContinuousClock.Instant) -> Double { (clock.now - instant).inSeconds }
        onEvent(
            .started(
                firstStep: completedSteps, totalSteps: configuration.steps, exampleCount: examples.count,
                normalizer: normalizerConstant))
        var summary = TrainingSummary(
            stepCount: 0, skippedStepCount: 0, initialLoss: nil, finalLoss: nil, tokenCount: 0, elapsedSeconds: 0,
            checkpointPath: outputDirectory)
        var interval = IntervalStatistics()
        var intervalStart = start
        let earlierSeconds = trainingSeconds
        while completedSteps < configuration.steps {
            let index = completedSteps
            let outcome = try step(index)
            completedSteps += 1
            trainingSeconds = earlierSeconds.map { $0 + seconds(since: start) }
            summary.record(outcome)
            interval.record(outcome)
            if !outcome.applied {
                onEvent(.skippedStep(index: index, loss: outcome.loss, gradientNorm: outcome.gradientNorm))
            }
            if completedSteps % configuration.logEvery == 0 || completedSteps == configuration.steps {
                onEvent(
                    interval.report(index: index, seconds: seconds(since: intervalStart), total: seconds(since: start)))
                summary.finalLoss = interval.meanLoss ?? summary.finalLoss
                interval = IntervalStatistics()
                intervalStart = clock.now
            }
            let due = configuration.checkpointEvery > 0 && completedSteps % configuration.checkpointEvery == 0
            if due || completedSteps == configuration.steps {
                onEvent(.checkpoint(path: try writeCheckpoint(), step: completedSteps))
            }
        }
        summary.elapsedSeconds = seconds(since: start)
        onEvent(.finished(summary))
        return summary
    }

    /// Takes optimizer step `index`: forward and backward over its batch, clipping, and AdamW.
    /// - Parameter index: the 0-based step, which selects the batch and the learning rate.
    /// - Returns: the loss, gradient norm, rate, tokens and whether the update was applied.
    /// - Throws: `TrainingError.model` if the model rejects the batch.
    public func step(_ index: Int) throws(TrainingError) -> StepOutcome {
        let batch = sampler.batch(at: index).map { examples[$0] }
        // 1. forward + backward of the [E10] loss, normalised by C * B
        model.zeroGradients()
        let result: TrainingStepResult
        do {
            result = try model.train(
                batch.map(\.tokens), targetWeights: batch.map(\.targetWeights),
                normalizer: DrSFTNormalizer.stepNormalizer(constant: normalizerConstant, batchSize: batch.count))
        } catch {
            throw .model(error)
        }
        // 2. clip, then AdamW at the scheduled rate, only for a healthy step
        let learningRate = configuration.schedule.rate(at: index)
        let update = optimizer.update(
            model, loss: result.loss, learningRate: learningRate, maxGradientNorm: configuration.gradientClipNorm)
        return StepOutcome(
            loss: result.loss, gradientNorm: update.gradientNorm, learningRate: learningRate,
            tokenCount: batch.reduce(0) { $0 + $1.tokens.count }, applied: update.applied)
    }

    /// A model initialised from the configuration's seed.
    private static func freshModel(_ configuration: SFTConfiguration) throws(TrainingError) -> Transformer {
        do {
            return try Transformer(configuration: configuration.model, seed: configuration.seed)
        } catch {
            throw .model(error)
        }
    }
}
