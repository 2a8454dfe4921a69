// The three IEEE values that are not finite numbers, as an Equatable tag for errors.

/// Which non-finite value an input held.
///
/// Stored instead of the `Double` itself so that errors stay `Equatable` (NaN is not equal to itself).
public enum NonFiniteKind: String, Sendable, Equatable, CaseIterable {
    /// Not a number.
    case nan
    /// Positive infinity.
    case positiveInfinity
    /// Negative infinity (log of probability zero).
    case negativeInfinity

    /// Classifies a value; nil when it is finite.
    /// - Parameter value: the value to classify.
    public init?(_ value: Double) {
        if value.isNaN {
            self = .nan
        } else if value == .infinity {
            self = .positiveInfinity
        } else if value == -.infinity {
            self = .negativeInfinity
        } else {
            return nil
        }
    }
}
