// Linear warmup followed by cosine decay of the learning rate.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The learning rate at each optimizer step: linear warmup to `peak`, then cosine decay to `minimum`.
///
/// ```
/// step < warmup:            peak * (step + 1) / warmup
/// warmup <= step < total:   minimum + (peak - minimum) * 0.5 * (1 + cos(pi * (step - warmup) / (total - warmup)))
/// step >= total:            minimum
/// ```
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// The rate at the end of warmup.
    public var peak: Float
    /// The rate at and after `totalSteps`.
    public var minimum: Float
    /// Steps of linear warmup.
    public var warmupSteps: Int
    /// The step at which the decay reaches `minimum`.
    public var totalSteps: Int

    /// Creates a schedule.
    /// - Parameters:
    ///   - peak: the highest rate.
    ///   - minimum: the final rate.
    ///   - warmupSteps: steps of linear warmup.
    ///   - totalSteps: steps until the minimum is reached.
    public init(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// Checks the ranges.
    /// - Throws: `ModelError.invalidConfiguration` naming the first bad field.
    public func validate() throws(ModelError) {
        guard peak > 0, peak.isFinite else { throw .invalidConfiguration("peak learning rate must be positive") }
        guard minimum >= 0, minimum <= peak else {
            throw .invalidConfiguration("minimum learning rate must be in [0, peak], got \(minimum)")
        }
        guard warmupSteps >= 0, totalSteps >= 1, warmupSteps <= totalSteps else {
            throw .invalidConfiguration(
                "need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got \(warmupSteps) and \(totalSteps)")
        }
    }

    /// The learning rate for the optimizer step with index `step` (counting from 0).
    /// - Parameter step: the step index.
    /// - Returns: the rate.
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        if step >= totalSteps { return minimum }
        let progress = Double(step - warmupSteps) / Double(max(totalSteps - warmupSteps, 1))
        return minimum + (peak - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}
