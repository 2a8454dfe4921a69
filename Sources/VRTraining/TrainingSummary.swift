// The outcome of a training run, returned by `SFTTrainer.run` and sent as `TrainingEvent.finished`.

/// What a finished training run did.
public struct TrainingSummary: Sendable, Equatable, Codable {
    /// Steps taken in this run (applied plus skipped); excludes steps done before a resume.
    public var stepCount: Int
    /// Steps whose loss or gradient norm was not finite; their updates were skipped.
    public var skippedStepCount: Int
    /// Loss of the first applied step of this run, or nil if none was applied.
    public var initialLoss: Double?
    /// Mean loss of the applied steps in the last logging interval, or nil if none was applied.
    public var finalLoss: Double?
    /// Tokens processed (every token of every batch) in this run.
    public var tokenCount: Int
    /// Wall time of this run in seconds.
    public var elapsedSeconds: Double
    /// The checkpoint directory holding the final state.
    public var checkpointPath: String

    /// Creates a summary.
    /// - Parameters:
    ///   - stepCount: steps taken.
    ///   - skippedStepCount: steps skipped as non-finite.
    ///   - initialLoss: the first applied step's loss.
    ///   - finalLoss: the mean loss of the last interval.
    ///   - tokenCount: tokens processed.
    ///   - elapsedSeconds: wall time.
    ///   - checkpointPath: where the final checkpoint is.
    public init(
        stepCount: Int, skippedStepCount: Int, initialLoss: Double?, finalLoss: Double?, tokenCount: Int,
        elapsedSeconds: Double, checkpointPath: String
    ) {
        self.stepCount = stepCount
        self.skippedStepCount = skippedStepCount
        self.initialLoss = initialLoss
        self.finalLoss = finalLoss
        self.tokenCount = tokenCount
        self.elapsedSeconds = elapsedSeconds
        self.checkpointPath = checkpointPath
    }
}

extension TrainingSummary {
    /// Counts one step of the run.
    mutating func record(_ outcome: SFTTrainer.StepOutcome) {
        stepCount += 1
        tokenCount += outcome.tokenCount
        if outcome.applied {
            initialLoss = initialLoss ?? outcome.loss
        } else {
            skippedStepCount += 1
        }
    }
}
