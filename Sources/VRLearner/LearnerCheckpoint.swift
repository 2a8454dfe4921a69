// A learner run's state on disk: both models with their optimizers and the learner's progress, replaced as a set.
//
// Layout: <run>/checkpoint/{reasoning,posterior}/{model.safetensors,config.json,optimizer.safetensors} (and
// tokenizer.json, tokenizer_config.json for a pretrained model's tokenizer) and <run>/checkpoint/learner.json. A
// new checkpoint is written to checkpoint.partial and swapped in by renames, so a crash at any moment leaves either
// the old or the new set, never a mixture.

import Foundation
import VRModel

/// Where a run stands, besides the models: saved beside them and restored on resume.
public struct LearnerProgress: Codable, Sendable, Equatable {
    /// The parameter version of the saved models.
    public var parameterVersion: UInt64
    /// Model-phase steps taken.
    public var modelSteps: Int
    /// Posterior-phase steps taken.
    public var posteriorSteps: Int
    /// Questions of the question order handed out in rounds so far.
    public var questionCursor: Int

    /// Creates a progress record.
    /// - Parameters:
    ///   - parameterVersion: the models' version.
    ///   - modelSteps: model-phase steps.
    ///   - posteriorSteps: posterior-phase steps.
    ///   - questionCursor: position in the question order.
    public init(parameterVersion: UInt64, modelSteps: Int, posteriorSteps: Int, questionCursor: Int) {
        self.parameterVersion = parameterVersion
        self.modelSteps = modelSteps
        self.posteriorSteps = posteriorSteps
        self.questionCursor = questionCursor
    }
}

/// A saved learner state: both models, their optimizers and the progress.
public struct LearnerCheckpoint {
    /// The directory name of the current checkpoint inside a run directory.
    public static let directoryName = "checkpoint"
    /// The progress file's name inside it.
    public static let progressFileName = "learner.json"

    /// pi and q.
    public let models: ModelPair
    /// pi's and q's optimizer states.
    public let optimizers: (reasoning: AdamW, posterior: AdamW)
    /// Where the run stands.
    public let progress: LearnerProgress

    /// Writes the state of a run into `runDirectory`, replacing the previous checkpoint as a set.
    /// - Parameters:
    ///   - trainer: the models and optimizers.
    ///   - progress: the progress.
    ///   - runDirectory: the run directory.
    /// - Returns: the checkpoint directory.
    /// - Throws: `ModelError.io` if a file cannot be written; the previous checkpoint is then intact.
    @discardableResult
    public static func write(
        _ trainer: LearnerTrainer, progress: LearnerProgress, to runDirectory: String
    )
        throws(ModelError) -> String
    {
        let final = runDirectory + "/" + directoryName
        let partial = final + ".partial"
        let previous = final + ".previous"
        let files = FileManager.default
        try? files.removeItem(atPath: partial)
        do throws(ModelError) {
            for (name, model, optimizer) in [
                ("reasoning", trainer.models.reasoning, trainer.reasoningOptimizer),
                ("posterior", trainer.models.posterior, trainer.posteriorOptimizer),
            ] {
                let directory = partial + "/" + name
                try Checkpoint.write(configuration: model.configuration, parameters: model.parameters, to: directory)
                try Checkpoint.writeOptimizerState(
                    stepCount: optimizer.stepCount, firstMoment: optimizer.firstMoment,
                    secondMoment: optimizer.secondMoment, to: directory)
                do { try trainer.text.writeFiles(toDirectory: directory) } catch {
                    throw .io(path: directory, reason: "\(error)")
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let progressBytes: [UInt8]
            do { progressBytes = Array(try encoder.encode(progress)) } catch {
                throw .io(path: partial + "/" + progressFileName, reason: "\(error)")
            }
            try AtomicFile.write(progressBytes, to: partial + "/" + progressFileName)
        } catch {
            // A full disk, say: free what was written; the previous checkpoint is untouched.
            try? files.removeItem(atPath: partial)
            throw error
        }
        do {
            // A crash between the two renames below left only the previous set: put it back before anything
            // else, so that a crash now still leaves a complete checkpoint.
            if !files.fileExists(atPath: final) && files.fileExists(atPath: previous) {
                try files.moveItem(atPath: previous, toPath: final)
            }
            try? files.removeItem(atPath: previous)
            if files.fileExists(atPath: final) { try files.moveItem(atPath: final, toPath: previous) }
            try files.moveItem(atPath: partial, toPath: final)
        } catch {
            throw .io(path: final, reason: "cannot replace the checkpoint: \(error.localizedDescription)")
        }
        try AtomicFile.syncDirectory(runDirectory, for: final)
        try? files.removeItem(atPath: previous)
        return final
    }

    /// Whether `runDirectory` holds a checkpoint (or the previous one, left by a crash during a swap).
    /// - Parameter runDirectory: the run directory.
    /// - Returns: whether ``read(from:optimizer:)`` has something to read.
    public static func exists(in runDirectory: String) -> Bool {
        let final = runDirectory + "/" + directoryName
        return FileManager.default.fileExists(atPath: final)
            || FileManager.default.fileExists(atPath: final + ".previous")
    }

    /// Reads the checkpoint of `runDirectory` (or the previous one, if a crash interrupted a swap).
    /// - Parameters:
    ///   - runDirectory: the run directory.
    ///   - optimizer: the AdamW settings of pi and q.
    /// - Returns: the restored state.
    /// - Throws: `ModelError.invalidCheckpoint` naming the file at fault.
    public static func read(
        from runDirectory: String, optimizer: (reasoning: AdamWConfiguration, posterior: AdamWConfiguration)
    ) throws(ModelError) -> LearnerCheckpoint {
        var directory = runDirectory + "/" + directoryName
        if !FileManager.default.fileExists(atPath: directory),
            FileManager.default.fileExists(atPath: directory + ".previous")
        {
            directory += ".previous"
        }
        let progressPath = directory + "/" + progressFileName
        let progress: LearnerProgress
        do {
            progress = try JSONDecoder().decode(
                LearnerProgress.self, from: Data(contentsOf: URL(fileURLWithPath: progressPath)))
        } catch {
            throw .invalidCheckpoint(path: progressPath, reason: "\(error)")
        }
        guard progress.parameterVersion >= 1, progress.modelSteps >= 0, progress.posteriorSteps >= 0,
            progress.questionCursor >= 0
        else {
            throw .invalidCheckpoint(path: progressPath, reason: "negative steps or cursor, or version 0")
        }
        let reasoning = try restore(directory + "/reasoning", optimizer.reasoning)
        let posterior = try restore(directory + "/posterior", optimizer.posterior)
        return LearnerCheckpoint(
            models: ModelPair(reasoning: reasoning.model, posterior: posterior.model),
            optimizers: (reasoning.optimizer, posterior.optimizer), progress: progress)
    }

    private static func restore(
        _ directory: String, _ configuration: AdamWConfiguration
    )
        throws(ModelError) -> (model: Transformer, optimizer: AdamW)
    {
        let checkpoint = try Checkpoint.read(from: directory)
        let model = try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
        let state = try Checkpoint.readOptimizerState(from: directory, parameterCount: model.layout.parameterCount)
        let optimizer = AdamW(
            configuration: configuration, layout: model.layout, stepCount: state.stepCount,
            firstMoment: state.firstMoment, secondMoment: state.secondMoment)
        return (model, optimizer)
    }
}
