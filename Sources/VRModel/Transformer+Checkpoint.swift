// A model and its optimizer as a checkpoint left them, for the commands that continue from one.

import Foundation

extension Transformer {
    /// Loads the model a checkpoint holds.
    /// - Parameter path: a `vr` checkpoint directory, a Hugging Face model directory or a `.gguf` file.
    /// - Throws: `ModelError` naming the file at fault.
    public convenience init(checkpointAt path: String) throws(ModelError) {
        let checkpoint = try Checkpoint.read(from: path)
        try self.init(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
    }
}

extension AdamW {
    /// The optimizer a model continues with: its SFT run's AdamW moments when the checkpoint has them (a fresh Adam
    /// would take full-size steps on an already trained model), else a fresh state.
    /// - Parameters:
    ///   - checkpoint: the checkpoint directory.
    ///   - configuration: the AdamW settings.
    ///   - model: the model loaded from `checkpoint`.
    /// - Throws: `ModelError.invalidCheckpoint` for an optimizer file that does not fit the model.
    public convenience init(
        continuing checkpoint: String, configuration: AdamWConfiguration, model: Transformer
    ) throws(ModelError) {
        guard FileManager.default.fileExists(atPath: checkpoint + "/" + Checkpoint.optimizerFileName) else {
            self.init(configuration: configuration, layout: model.layout)
            return
        }
        let state = try Checkpoint.readOptimizerState(from: checkpoint, parameterCount: model.layout.parameterCount)
        self.init(
            configuration: configuration, layout: model.layout, stepCount: state.stepCount,
            firstMoment: state.firstMoment, secondMoment: state.secondMoment)
    }
}
