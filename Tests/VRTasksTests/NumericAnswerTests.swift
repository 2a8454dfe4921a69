// Tests for the written forms of numeric answers: fractions, LaTeX, `x = 5`, a trailing period, exact values.

import Testing

@testable import VRTasks

@Suite("Numeric answers")
struct NumericAnswerTests {
    @Test(
        "canonical forms: fractions reduce and terminate as decimals, wrappers are removed",
        arguments: [
            ("3/4", "0.75"), ("6/8", "0.75"), ("-3/4", "-0.75"), ("+3 / 4", "0.75"), ("-2/6", "-1/3"),
            ("10/5", "2"), ("0/7", "0"), ("-0/7", "0"), ("\\frac{3}{4}", "0.75"), ("\\dfrac{ 1 }{ 3 }", "1/3"),
            ("$-\\frac{2}{3}$", "-2/3"), ("$5$", "5"), ("x = 5", "5"), ("e=-13", "-13"), ("5.", "5"),
            ("x = 1,234.50.", "1234.5"), ("1/1024", "0.0009765625"), ("7/3.", "7/3"),
        ])
    func canonical(text: String, expected: String) {
        #expect(NumericAnswer.canonical(text) == expected, "\(text)")
    }

    @Test(
        "not numbers: malformed fractions and wrappers",
        arguments: [
            "3/", "/4", "3//4", "3/4/5", "1.5/2", "3/-4", "1,000/2", "\\frac{3}", "\\frac{3}{4} cm", "\\frac{a}{4}",
            "\\sqrt{4}", "$3/4", "3/4$", "x == 5", "5 = x", "1 3/4", "99999999999999999999/3",
        ])
    func rejected(text: String) {
        #expect(NumericAnswer.canonical(text) == nil, "\(text)")
    }

    @Test("exact values: decimals up to 18 significant digits, fractions over Int64")
    func values() {
        #expect(
            NumericAnswer.value("6.32098837209") == Rational(numerator: 632_098_837_209, denominator: 100_000_000_000))
        #expect(NumericAnswer.value("-1,234.5") == Rational(numerator: -2469, denominator: 2))
        #expect(NumericAnswer.value("-6/8") == Rational(numerator: -3, denominator: 4))
        #expect(NumericAnswer.value("123456789012345678") != nil)
        #expect(NumericAnswer.value("12345678901234567890") == nil)
        #expect(NumericAnswer.value("0.0000000000000000001") == nil)
        #expect(NumericAnswer.value("abc") == nil)
    }
}
