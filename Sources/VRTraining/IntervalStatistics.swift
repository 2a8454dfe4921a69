// Running means over the steps between two progress reports of a training run.

/// Accumulates step outcomes between two `TrainingEvent.step` reports.
struct IntervalStatistics {
    private var lossSum: Double = 0
    private var gradientNormSum: Double = 0
    private var appliedCount = 0
    private var tokenCount = 0
    private var learningRate: Float = 0

    /// Adds one step; skipped steps count for throughput only.
    mutating func record(_ outcome: SFTTrainer.StepOutcome) {
        tokenCount += outcome.tokenCount
        learningRate = outcome.learningRate
        guard outcome.applied else { return }
        lossSum += outcome.loss
        gradientNormSum += outcome.gradientNorm
        appliedCount += 1
    }

    /// The mean loss of the applied steps, or nil if every step was skipped.
    var meanLoss: Double? {
        appliedCount > 0 ? lossSum / Double(appliedCount) : nil
    }

    /// The progress event for the interval ending at step `index` (NaN means when no step was applied).
    func report(index: Int, seconds: Double, total: Double) -> TrainingEvent {
        .step(
            index: index, loss: meanLoss ?? .nan,
            learningRate: learningRate,
            gradientNorm: appliedCount > 0 ? gradientNormSum / Double(appliedCount) : .nan,
            tokensPerSecond: seconds > 0 ? Double(tokenCount) / seconds : 0, elapsedSeconds: total)
    }
}
