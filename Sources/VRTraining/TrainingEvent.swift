// What a training run reports as it goes: values for a sink to log, never prints.

/// A progress report from `SFTTrainer.run`.
public enum TrainingEvent: Sendable, Equatable {
    /// Training is about to take step `firstStep` (0, or later when resuming) of `totalSteps`.
    ///
    /// `normalizer` is the Dr. SFT constant C of [E10] (mean weighted targets per example).
    case started(firstStep: Int, totalSteps: Int, exampleCount: Int, normalizer: Double)
    /// Steps up to and including `index` (0-based) are done; the values cover the steps since the last report.
    ///
    /// `loss` and `gradientNorm` (before clipping) are means over the applied steps of the interval,
    /// `learningRate` is the rate of step `index`, `tokensPerSecond` counts every token of the batches
    /// (prompt included), and `elapsedSeconds` is the wall time since the run (or resume) started.
    case step(
        index: Int, loss: Double, learningRate: Float, gradientNorm: Double, tokensPerSecond: Double,
        elapsedSeconds: Double)
    /// Step `index` had a non-finite loss or gradient norm; the parameters were left unchanged.
    case skippedStep(index: Int, loss: Double, gradientNorm: Double)
    /// A checkpoint of the state after `step` steps was written to `path`.
    case checkpoint(path: String, step: Int)
    /// The run ended.
    case finished(TrainingSummary)
}
