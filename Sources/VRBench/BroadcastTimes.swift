// The timed runs of one broadcast path, reduced to the fastest and the median.

/// The fastest and the median of a path's timed runs, in seconds.
///
/// The fastest run is what the other benchmarks report; on a shared machine the median shows whether it was
/// typical or a lucky moment with idle cores.
public struct BroadcastTimes: Sendable, Codable, Equatable {
    /// The fastest run.
    public var fastestSeconds: Double
    /// The median run (the mean of the middle two for an even count).
    public var medianSeconds: Double

    /// Creates the summary of some runs.
    /// - Precondition: `seconds` is not empty.
    /// - Parameter seconds: the duration of each run.
    public init(_ seconds: [Double]) {
        precondition(!seconds.isEmpty, "a path needs at least one timed run")
        let sorted = seconds.sorted()
        fastestSeconds = sorted[0]
        medianSeconds = (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
    }

    /// Creates a summary from its two values.
    /// - Parameters:
    ///   - fastestSeconds: the fastest run.
    ///   - medianSeconds: the median run.
    public init(fastestSeconds: Double, medianSeconds: Double) {
        self.fastestSeconds = fastestSeconds
        self.medianSeconds = medianSeconds
    }
}
