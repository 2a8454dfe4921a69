// The fraction and tolerance checks of `Verifier`, on exact values from `NumericAnswer`.

extension Verifier {
    /// Whether `answer` is written as a fraction in lowest terms with the reference's value.
    func acceptsFraction(_ answer: String, reference: String) -> Bool {
        guard case .fraction(let negative, let numerator, let denominator)? = NumericAnswer.written(answer),
            let top = Int64(numerator), let bottom = Int64(denominator), bottom > 0,
            let value = Rational(numerator: negative ? -top : top, denominator: bottom),
            value.denominator == bottom,  // unchanged by reduction: p/q was in lowest terms
            let expected = NumericAnswer.value(reference)
        else { return false }
        return value == expected
    }

    /// Whether `|answer - reference| <= tolerance`, computed exactly.
    func acceptsApproximate(_ answer: String, reference: String, tolerance: String) -> Bool {
        guard let value = NumericAnswer.value(answer), let expected = NumericAnswer.value(reference),
            let limit = NumericAnswer.value(tolerance), limit.numerator >= 0,
            let difference = value.subtracting(expected),
            let distance = Rational(numerator: abs(difference.numerator), denominator: difference.denominator),
            let slack = limit.subtracting(distance)
        else { return false }
        return slack.numerator >= 0
    }
}
