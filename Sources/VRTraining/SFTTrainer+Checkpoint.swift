// Writing an SFT run's state to its output directory, and resuming from it.

import Foundation
import VRModel
import VRText

extension SFTTrainer {
    /// Metadata key of `model.safetensors` holding the number of completed SFT steps.
    public static let stepMetadataKey = "sft_step"
    /// Metadata key of `model.safetensors` holding the wall time in seconds of all its steps, over every resume.
    public static let trainingSecondsMetadataKey = "sft_training_seconds"

    /// Writes the model (with `sft_step` metadata), the optimizer state and the model's tokenizer files into
    /// `outputDirectory`.
    ///
    /// Each file is replaced atomically; the tokenizer and optimizer files are written first, so a crash in between
    /// leaves a model checkpoint whose step is at most the optimizer's.
    /// - Returns: the checkpoint directory.
    /// - Throws: `TrainingError.io` if the tokenizer files cannot be written, `.model` if another file cannot.
    @discardableResult
    public func writeCheckpoint() throws(TrainingError) -> String {
        do { try text.writeFiles(toDirectory: outputDirectory) } catch {
            throw .io(path: outputDirectory, reason: "\(error)")
        }
        do {
            try Checkpoint.writeOptimizerState(
                stepCount: optimizer.stepCount, firstMoment: optimizer.firstMoment,
                secondMoment: optimizer.secondMoment, to: outputDirectory)
            var metadata = [
                Self.stepMetadataKey: String(completedSteps), "dr_sft_constant": String(normalizerConstant),
            ]
            metadata[Self.trainingSecondsMetadataKey] = trainingSeconds.map { String($0) }
            try Checkpoint.write(
                configuration: model.configuration, parameters: model.parameters, to: outputDirectory,
                metadata: metadata)
        } catch {
            throw .model(error)
        }
        return outputDirectory
    }

    /// Loads the checkpoint in `directory` into `model` when resuming, and builds the optimizer.
    /// - Parameters:
    ///   - model: the model to overwrite with the checkpoint's parameters.
    ///   - optimizer: the optimizer's settings.
    ///   - directory: the output directory.
    ///   - resume: whether an existing checkpoint may be continued.
    /// - Returns: the optimizer (restored or fresh), the number of completed steps and their wall time (nil for a
    ///   checkpoint written before it was recorded).
    /// - Throws: `TrainingError.checkpointExists` if a checkpoint exists and `resume` is false;
    ///   `.invalidConfiguration` if it cannot be resumed; `.model` if it cannot be read.
    static func restore(
        into model: Transformer, optimizer: AdamWConfiguration, from directory: String, resume: Bool
    ) throws(TrainingError) -> (optimizer: AdamW, completedSteps: Int, trainingSeconds: Double?) {
        let fresh = (AdamW(configuration: optimizer, layout: model.layout), 0, Double?(0))
        let modelPath = directory + "/" + Checkpoint.modelFileName
        guard FileManager.default.fileExists(atPath: modelPath) else { return fresh }
        guard resume else { throw .checkpointExists(path: directory) }
        guard FileManager.default.fileExists(atPath: directory + "/" + Checkpoint.optimizerFileName) else {
            throw .invalidConfiguration(
                "cannot resume from \(directory): it has no \(Checkpoint.optimizerFileName)")
        }
        let checkpoint: Checkpoint
        let state: Checkpoint.OptimizerState
        do {
            checkpoint = try Checkpoint.read(from: directory)
            state = try Checkpoint.readOptimizerState(from: directory, parameterCount: model.layout.parameterCount)
        } catch {
            throw .model(error)
        }
        guard checkpoint.configuration == model.configuration else {
            throw .invalidConfiguration(
                "cannot resume from \(directory): its model \(checkpoint.configuration) differs from the "
                    + "configuration's \(model.configuration)")
        }
        guard let text = checkpoint.metadata[stepMetadataKey], let steps = Int(text), steps >= 0 else {
            throw .invalidConfiguration("cannot resume from \(directory): no valid \(stepMetadataKey) metadata")
        }
        let trainingSeconds = checkpoint.metadata[trainingSecondsMetadataKey].flatMap(Double.init)
        if let trainingSeconds, !(trainingSeconds.isFinite && trainingSeconds >= 0) {
            throw .invalidConfiguration(
                "cannot resume from \(directory): \(trainingSecondsMetadataKey) is \(trainingSeconds), not a duration")
        }
        model.parameters.copy(from: checkpoint.parameters)
        let restored = AdamW(
            configuration: optimizer, layout: model.layout, stepCount: state.stepCount,
            firstMoment: state.firstMoment, secondMoment: state.secondMoment)
        return (restored, steps, trainingSeconds)
    }
}
