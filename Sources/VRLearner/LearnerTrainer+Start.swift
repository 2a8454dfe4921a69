// Where a learner's models and optimizers come from: its run directory's checkpoint, or the initial checkpoints.

import VRModel
import VRTasks
import VRText
import VRTransport

/// Whether a learner continues the checkpoint in its run directory.
public enum LearnerResumption: Sendable, Equatable {
    /// Start from the initial checkpoints; a checkpoint in the run directory is an error, not overwritten.
    case never
    /// Continue the run directory's checkpoint, which must exist.
    case required
    /// Continue the run directory's checkpoint if there is one, else start from the initial checkpoints.
    case ifPresent
}

extension LearnerTrainer {
    /// The trainer and progress a learner starts with.
    ///
    /// A continued run restores both models, both optimizers and the progress from `runDirectory`. A new run loads
    /// pi and q from their checkpoints, each with its SFT run's AdamW moments when the checkpoint has them, at
    /// parameter version 1.
    /// - Parameters:
    ///   - runDirectory: the learner's run directory.
    ///   - resumption: whether to continue its checkpoint.
    ///   - reasoning: pi's initial checkpoint, for a new run.
    ///   - posterior: q's initial checkpoint, for a new run.
    ///   - configuration: the learner's settings.
    ///   - dataset: the training questions.
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    ///   - collective: the ranks the steps are split over; every rank starts its trainer alike, from the same files.
    /// - Returns: the trainer, the progress to continue from, and whether a checkpoint was continued.
    /// - Throws: `LearnerServiceError.invalidInput` when there is no checkpoint to continue, when one exists but is
    ///   not to be continued, or when a new run lacks an initial checkpoint; `ModelError` for unreadable checkpoints.
    public static func start(
        in runDirectory: String, resumption: LearnerResumption, reasoning: String?, posterior: String?,
        configuration: LearnerConfiguration, dataset: TaskDataset, renderer: TemplateRenderer, text: ModelText,
        collective: any Collective = SoloCollective()
    ) throws -> (trainer: LearnerTrainer, progress: LearnerProgress, resumed: Bool) {
        let optimizers = (configuration.reasoningOptimizer.adamW, configuration.posteriorOptimizer.adamW)
        let checkpointExists = LearnerCheckpoint.exists(in: runDirectory)
        if resumption == .required || (resumption == .ifPresent && checkpointExists) {
            let checkpoint = try LearnerCheckpoint.read(from: runDirectory, optimizer: optimizers)
            let trainer = try LearnerTrainer(
                models: checkpoint.models, optimizers: checkpoint.optimizers,
                stepCounts: (checkpoint.progress.modelSteps, checkpoint.progress.posteriorSteps),
                configuration: configuration, dataset: dataset, renderer: renderer, text: text,
                collective: collective)
            return (trainer, checkpoint.progress, true)
        }
        guard !checkpointExists else {
            throw LearnerServiceError.invalidInput(
                "\(runDirectory) already holds a learner checkpoint; resume it or use another run directory")
        }
        guard let reasoning, let posterior else {
            throw LearnerServiceError.invalidInput("a new run needs initial checkpoints of both pi and q")
        }
        let models = ModelPair(
            reasoning: try Transformer(checkpointAt: reasoning), posterior: try Transformer(checkpointAt: posterior))
        let trainer = try LearnerTrainer(
            models: models,
            optimizers: (
                try AdamW(continuing: reasoning, configuration: optimizers.0, model: models.reasoning),
                try AdamW(continuing: posterior, configuration: optimizers.1, model: models.posterior)
            ),
            stepCounts: (0, 0), configuration: configuration, dataset: dataset, renderer: renderer, text: text,
            collective: collective)
        return (
            trainer, LearnerProgress(parameterVersion: 1, modelSteps: 0, posteriorSteps: 0, questionCursor: 0), false
        )
    }
}
