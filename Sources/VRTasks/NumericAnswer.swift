// The canonical text and exact value of a numeric answer, so that "1,234", "+1234" and "1234.0" compare equal.

/// Decimal numbers and fractions in canonical form, compared as text so that no decimal size overflows.
///
/// Accepted (`written(_:)`): optional surrounding whitespace; optionally one trailing `.` (a
/// sentence's full stop), a surrounding pair of `$`, and a leading one-letter variable with `=`
/// (`x = 5`); then an optional `+` or `-` and either
/// - a decimal: digits (optionally grouped in thousands by commas, which must then be well placed:
///   `1,234` but not `12,34`) and an optional `.` followed by at least one digit; or
/// - a fraction: `p/q` (spaces allowed around `/`) or `\frac{p}{q}` / `\dfrac{p}{q}`, with plain
///   digits and `q` not 0.
///
/// Nothing else: no units, no exponent, no mixed numbers. The canonical form of a decimal drops
/// leading integer zeros, trailing fraction zeros, an empty fraction and the sign of zero:
/// `+001,000.50` becomes `1000.5`, `-0.0` becomes `0`. A fraction is reduced and written as a
/// decimal when it terminates (`6/8` becomes `0.75`), else as `p/q` (`-2/6` becomes `-1/3`);
/// fractions whose parts do not fit `Int64` have no canonical form.
enum NumericAnswer {
    /// The canonical form of `text`, or nil when it is not a number in the accepted syntax.
    static func canonical(_ text: String) -> String? {
        switch written(text) {
        case .decimal(let negative, let integer, let fraction)?:
            let integerDigits = integer.drop { $0 == "0" }
            let fractionDigits = fraction.reversed().drop { $0 == "0" }.reversed()
            let magnitude =
                (integerDigits.isEmpty ? "0" : String(integerDigits))
                + (fractionDigits.isEmpty ? "" : "." + String(fractionDigits))
            return negative && magnitude != "0" ? "-" + magnitude : magnitude
        case .fraction?:
            guard let value = value(text) else { return nil }
            return decimalText(value) ?? value.description
        case nil:
            return nil
        }
    }

    /// The exact value of `text`, or nil when it is not a number or does not fit `Rational`
    /// (a decimal with more than 18 significant digits, say).
    static func value(_ text: String) -> Rational? {
        switch written(text) {
        case .decimal(let negative, let integer, let fraction)?:
            guard fraction.count <= 18, let magnitude = Int64(integer + fraction),
                let scale = Rational(numerator: 1, denominator: power(10, fraction.count))
            else { return nil }
            return Rational(numerator: negative ? -magnitude : magnitude)?.multiplying(scale)
        case .fraction(let negative, let numerator, let denominator)?:
            guard let top = Int64(numerator), let bottom = Int64(denominator) else { return nil }
            return Rational(numerator: negative ? -top : top, denominator: bottom)
        case nil:
            return nil
        }
    }

    // MARK: - Helpers

    /// `value` as a terminating decimal in canonical form, or nil when it does not terminate or overflows.
    private static func decimalText(_ value: Rational) -> String? {
        // p/q terminates iff q = 2^a 5^b; then p/q = p * (10^k / q) / 10^k with k = max(a, b).
        var rest = value.denominator
        var (twos, fives) = (0, 0)
        while rest % 2 == 0 { (rest, twos) = (rest / 2, twos + 1) }
        while rest % 5 == 0 { (rest, fives) = (rest / 5, fives + 1) }
        let places = max(twos, fives)
        guard rest == 1, places <= 18 else { return nil }
        let (scaled, overflow) = value.numerator.magnitude.multipliedReportingOverflow(
            by: UInt64(power(10, places) / value.denominator))
        guard !overflow else { return nil }
        var digits = String(scaled)
        if digits.count <= places { digits = String(repeating: "0", count: places + 1 - digits.count) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -places)
        let magnitude = places == 0 ? digits : digits[..<point] + "." + digits[point...]
        return value.numerator < 0 ? "-" + magnitude : magnitude
    }

    /// `base` to the power `exponent`; the callers keep the result below `Int64.max`.
    private static func power(_ base: Int64, _ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
