// Exact fractions over Int64 with overflow checks, for evaluating arithmetic answers without rounding.

/// An exact fraction `numerator / denominator`, always in lowest terms with a positive denominator.
///
/// Arithmetic returns nil instead of trapping on overflow or division by zero, so untrusted
/// expressions can be evaluated safely. `Int64.min` never appears in a numerator or denominator
/// (results that would need it count as overflow), which keeps negation and `abs` safe.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    /// The numerator; carries the sign.
    public let numerator: Int64
    /// The denominator; always positive.
    public let denominator: Int64

    /// Creates the fraction `numerator / denominator` in lowest terms.
    /// - Parameters:
    ///   - numerator: any value but `Int64.min`.
    ///   - denominator: any value but 0 and `Int64.min`; otherwise the initializer fails.
    public init?(numerator: Int64, denominator: Int64 = 1) {
        guard denominator != 0, numerator != .min, denominator != .min else { return nil }
        let divisor = Self.gcd(numerator.magnitude, denominator.magnitude)
        let sign: Int64 = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / Int64(divisor)
        self.denominator = sign * denominator / Int64(divisor)
    }

    /// The integer `value` as a fraction.
    /// - Parameter value: any value but `Int64.min`, for which the initializer fails.
    public init?(_ value: Int64) {
        self.init(numerator: value, denominator: 1)
    }

    /// Whether the value is 0.
    public var isZero: Bool { numerator == 0 }

    /// The value as an integer when the denominator is 1.
    public var integerValue: Int64? { denominator == 1 ? numerator : nil }

    /// `3`, `-7/2`.
    public var description: String {
        denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)"
    }

    /// The sum.
    /// - Parameter other: the other term.
    /// - Returns: `self + other`, or nil on overflow.
    public func adding(_ other: Rational) -> Rational? {
        // a/b + c/d = (a*(d/g) + c*(b/g)) / (b*(d/g)), g = gcd(b, d): keeps intermediates small.
        let divisor = Int64(Self.gcd(denominator.magnitude, other.denominator.magnitude))
        guard let left = Self.multiply(numerator, other.denominator / divisor),
            let right = Self.multiply(other.numerator, denominator / divisor),
            let bottom = Self.multiply(denominator, other.denominator / divisor)
        else { return nil }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : Rational(numerator: sum, denominator: bottom)
    }

    /// The difference.
    /// - Parameter other: the subtrahend.
    /// - Returns: `self - other`, or nil on overflow.
    public func subtracting(_ other: Rational) -> Rational? {
        // Negation is safe: numerators are never Int64.min.
        guard let negated = Rational(numerator: -other.numerator, denominator: other.denominator) else { return nil }
        return adding(negated)
    }

    /// The product.
    /// - Parameter other: the other factor.
    /// - Returns: `self * other`, or nil on overflow.
    public func multiplying(_ other: Rational) -> Rational? {
        // Cross-reduce first so that exact results fit whenever possible.
        let first = Int64(Self.gcd(numerator.magnitude, other.denominator.magnitude))
        let second = Int64(Self.gcd(other.numerator.magnitude, denominator.magnitude))
        guard let top = Self.multiply(numerator / first, other.numerator / second),
            let bottom = Self.multiply(denominator / second, other.denominator / first)
        else { return nil }
        return Rational(numerator: top, denominator: bottom)
    }

    /// The quotient.
    /// - Parameter other: the divisor.
    /// - Returns: `self / other`, or nil on division by zero or overflow.
    public func dividing(by other: Rational) -> Rational? {
        guard !other.isZero, let inverse = Rational(numerator: other.denominator, denominator: other.numerator)
        else { return nil }
        return multiplying(inverse)
    }

    /// The product of two integers, or nil on overflow or a result of `Int64.min`.
    private static func multiply(_ left: Int64, _ right: Int64) -> Int64? {
        let (product, overflow) = left.multipliedReportingOverflow(by: right)
        return overflow || product == .min ? nil : product
    }

    /// The greatest common divisor (1 when both are 0, so dividing by it is always safe).
    private static func gcd(_ left: UInt64, _ right: UInt64) -> UInt64 {
        var (a, b) = (left, right)
        while b != 0 { (a, b) = (b, a % b) }
        return max(a, 1)
    }
}
