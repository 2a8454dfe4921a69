// Training curves across seeds: a model-phase quantity against the model step, with its spread.

import VRCore
import VRRecords

/// A quantity of the model phase, by model step, as mean and spread across seeds.
public enum TrainingCurve {
    /// The curve of `value` over model steps, as mean and spread across seeds.
    ///
    /// Model steps are numbered 1, 2, 3... by counting each seed's `model` lines in order; a step's point averages
    /// the seeds that reached it and recorded the quantity there, and a step where none did has no point.
    /// - Parameters:
    ///   - seedMetrics: each seed's metrics lines, in file order.
    ///   - value: the quantity of a step, or nil when the step does not record it.
    /// - Returns: one point per model step with a value (x the step, y the mean, spread the standard deviation).
    public static func modelPhase(_ seedMetrics: [[StepMetrics]], value: (StepMetrics) -> Double?) -> [ChartPoint] {
        let seedValues = seedMetrics.map { metrics in metrics.filter { $0.phase == .model }.map(value) }
        return (0..<modelStepCount(seedMetrics)).compactMap { index in
            SeedSummary(seedValues.compactMap { $0.indices.contains(index) ? $0[index] : nil }).map {
                ChartPoint(x: Double(index + 1), y: $0.mean, spread: $0.standardDeviation)
            }
        }
    }

    /// How many model steps the longest of the seeds took.
    /// - Parameter seedMetrics: each seed's metrics lines.
    /// - Returns: the largest count of `model` lines.
    public static func modelStepCount(_ seedMetrics: [[StepMetrics]]) -> Int {
        seedMetrics.map { metrics in metrics.count { $0.phase == .model } }.max() ?? 0
    }
}
