// Checks shared by the objectives: which non-finite values an input array may hold.

/// Validation helpers that turn bad values into `ObjectiveError`s with token positions.
enum InputValidation {
    /// The largest log-probability accepted: rounding in a log-softmax can leave a probability-one token
    /// slightly above 0, and the wire allows the same slack (`WireLimits.logProbSlack`).
    static let logProbabilityTolerance = 1e-3

    /// Throws for the first NaN or `+infinity` in `values`, for `-infinity` unless allowed, and, in a
    /// log-probability field (every field but `logWeight`), for a value above `logProbabilityTolerance`.
    /// - Parameters:
    ///   - values: the log-probabilities or log-weights.
    ///   - field: the array's name, for the error.
    ///   - allowNegativeInfinity: whether `-infinity` (probability zero) is meaningful here.
    /// - Throws: `ObjectiveError.nonFiniteValue` or `.valueOutOfRange` with the index of the first bad value.
    static func checkLogValues(
        _ values: [Double], field: EvidenceField, allowNegativeInfinity: Bool
    )
        throws(ObjectiveError)
    {
        for (index, value) in values.enumerated() {
            let location = field == .logWeight ? EvidenceLocation(trace: index) : EvidenceLocation(token: index)
            if let kind = NonFiniteKind(value) {
                if kind == .negativeInfinity && allowNegativeInfinity { continue }
                throw .nonFiniteValue(kind, field: field, at: location)
            }
            if field != .logWeight && value > logProbabilityTolerance {
                throw .valueOutOfRange(value, field: field, expected: "a log-probability <= 0", at: location)
            }
        }
    }

    /// Returns a sum of valid log values, throwing if it overflowed to `+infinity` or NaN.
    ///
    /// Only absurd finite inputs (log-probabilities near `+-1e308`) can overflow; this keeps such input
    /// from turning into a NaN weight.
    /// - Parameters:
    ///   - value: the sum.
    ///   - field: the array it was summed from, for the error.
    /// - Returns: `value`, finite or `-infinity`.
    /// - Throws: `ObjectiveError.sumOverflow` when the sum is NaN or `+infinity`.
    static func checkSum(_ value: Double, field: EvidenceField) throws(ObjectiveError) -> Double {
        guard value.isNaN || value == .infinity else { return value }
        throw .sumOverflow(field: field, at: EvidenceLocation())
    }

    /// Throws unless every value is a finite number in `0...1`.
    /// - Parameters:
    ///   - values: one value per trace or sample.
    ///   - field: the array's name, for the error.
    /// - Throws: `ObjectiveError.nonFiniteValue` or `.valueOutOfRange` with the trace index.
    static func checkUnitInterval(_ values: [Double], field: EvidenceField) throws(ObjectiveError) {
        for (index, value) in values.enumerated() {
            if let kind = NonFiniteKind(value) {
                throw .nonFiniteValue(kind, field: field, at: EvidenceLocation(trace: index))
            }
            guard (0...1).contains(value) else {
                throw .valueOutOfRange(
                    value, field: field, expected: "a value in [0, 1]", at: EvidenceLocation(trace: index))
            }
        }
    }
}
