// Turns training events into one greppable log line each, e.g. `step 120/300 loss 1.2345 ...`.

import Foundation
import VRCore

/// A sink that formats `TrainingEvent`s as log lines, tracking what it needs for an ETA.
///
/// ```
/// step 120/300 loss 1.2345 lr 2.50e-03 grad 0.812 tok/s 41235 eta 1m05s
/// ```
public struct TrainingLog: Sendable {
    /// The step the run started from, and its total, as reported by `.started`.
    private var firstStep = 0
    private var totalSteps = 0

    /// Creates a log.
    public init() {}

    /// The line for `event`.
    /// - Parameter event: a progress report.
    /// - Returns: one line without a trailing newline.
    public mutating func line(for event: TrainingEvent) -> String {
        switch event {
        case .started(let firstStep, let totalSteps, let exampleCount, let normalizer):
            self.firstStep = firstStep
            self.totalSteps = totalSteps
            let from = firstStep > 0 ? ", resuming after step \(firstStep)" : ""
            return "training \(totalSteps) steps on \(exampleCount) examples\(from); "
                + "Dr. SFT C = \(decimal(normalizer, 2)) weighted tokens per example [E10]"
        case .step(let index, let loss, let learningRate, let gradientNorm, let tokensPerSecond, let elapsed):
            let done = index + 1 - firstStep
            let remaining = Double(totalSteps - index - 1) * elapsed / Double(max(done, 1))
            return "step \(index + 1)/\(totalSteps) loss \(decimal(loss, 4)) "
                + "lr \(String(format: "%.2e", Double(learningRate))) grad \(decimal(gradientNorm, 3)) "
                + "tok/s \(Int(tokensPerSecond.rounded())) eta \(Self.duration(remaining))"
        case .skippedStep(let index, let loss, let gradientNorm):
            return "step \(index + 1)/\(totalSteps) skipped: loss \(loss), grad \(gradientNorm) (parameters unchanged)"
        case .checkpoint(let path, let step):
            return "checkpoint after step \(step) written to \(path)"
        case .finished(let summary):
            let losses = [summary.initialLoss, summary.finalLoss].map { $0.map { decimal($0, 4) } ?? "n/a" }
            return "finished \(summary.stepCount) steps (\(summary.skippedStepCount) skipped) in "
                + "\(Self.duration(summary.elapsedSeconds)); loss \(losses[0]) -> \(losses[1]); "
                + "checkpoint \(summary.checkpointPath)"
        }
    }

    /// A duration such as `42s`, `3m07s` or `1h02m`.
    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + String(format: "%02ds", total % 60) }
        return "\(total / 3600)h" + String(format: "%02dm", total % 3600 / 60)
    }
}
