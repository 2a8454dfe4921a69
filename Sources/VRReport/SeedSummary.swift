// The mean and the spread of one quantity across an arm's seeds.

/// Mean and sample standard deviation (n - 1 in the denominator) of values, one per seed.
public struct SeedSummary: Sendable, Equatable {
    /// The mean over seeds.
    public var mean: Double
    /// The sample standard deviation over seeds; 0 for one seed.
    public var standardDeviation: Double
    /// How many seeds contributed.
    public var seedCount: Int

    /// Summarises `values`, or returns nil when there are none.
    /// - Parameter values: one value per seed.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let squaredDeviations = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.mean = mean
        self.standardDeviation = values.count > 1 ? (squaredDeviations / (count - 1)).squareRoot() : 0
        self.seedCount = values.count
    }
}
