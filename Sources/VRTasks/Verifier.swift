// Exact checks of a final answer: string equality, numeric equality, a reduced fraction, a number within a
// tolerance, or a countdown expression.

/// Decides whether a final answer is correct; defines the correct set Y_x of docs/math.md.
///
/// Every check is total: any input string, however long or malformed, gives `false` rather than
/// a trap.
public enum Verifier: Codable, Sendable, Equatable, Hashable {
    /// Equal to the reference after trimming surrounding whitespace on both sides.
    case exact
    /// The same number as the reference (see `NumericAnswer` rules: optional sign, thousands commas,
    /// `1234.50` equals `1234.5`, a fraction equals its value, `x = 5` and `5.` are `5`); a reference
    /// that is not a number accepts nothing.
    case numeric
    /// A fraction written `p/q` (or `\frac{p}{q}`) in lowest terms with `q > 0`, equal to the reference:
    /// `3/4` but neither `6/8` nor `0.75`. The `NumericAnswer` wrappers (`$...$`, a trailing `.`) are allowed.
    case fraction
    /// A number (in the `NumericAnswer` syntax) whose exact distance to the reference is at most
    /// `tolerance`, a non-negative number such as `"0.001"`. Numbers that do not fit `Rational` (more
    /// than 18 significant digits) and an unreadable tolerance accept nothing.
    case approximate(tolerance: String)
    /// A countdown answer: an `ArithmeticExpression` that uses every given number exactly once
    /// (as a multiset: a number given twice may be used twice) and no other number, and whose
    /// exact value equals `target`. Intermediate values may be fractions. The answer may end with
    /// `=` and the target, as in `(3+5)*2=16`. The reference is ignored: any such expression is correct.
    case expression(numbers: [Int], target: Int)

    /// The verifier's name.
    public var kind: VerifierKind {
        switch self {
        case .exact: .exact
        case .numeric: .numeric
        case .fraction: .fraction
        case .approximate: .approximate
        case .expression: .expression
        }
    }

    /// Whether `answer` is correct.
    /// - Parameters:
    ///   - answer: a final answer, e.g. from `ReasoningOutput.finalAnswer`; nil is never correct.
    ///   - reference: the reference final answer (unused by `.expression`).
    /// - Returns: `true` when the answer passes the check.
    public func accepts(_ answer: String?, reference: String) -> Bool {
        guard let answer else { return false }
        switch self {
        case .exact:
            return trimmed(answer) == trimmed(reference) && !trimmed(answer).isEmpty
        case .numeric:
            guard let expected = NumericAnswer.canonical(reference) else { return false }
            return NumericAnswer.canonical(answer) == expected
        case .fraction:
            return acceptsFraction(answer, reference: reference)
        case .approximate(let tolerance):
            return acceptsApproximate(answer, reference: reference, tolerance: tolerance)
        case .expression(let numbers, let target):
            return (try? checkExpression(answer, numbers: numbers, target: target)) != nil
        }
    }

    /// Why an expression answer fails, as a message; nil when it is correct or the verifier is not `.expression`.
    /// - Parameter answer: the answer to explain.
    /// - Returns: e.g. `uses 7, which is not among 3, 5, 2` or `evaluates to 15, not 16`.
    public func rejection(of answer: String) -> String? {
        guard case .expression(let numbers, let target) = self else { return nil }
        do {
            try checkExpression(answer, numbers: numbers, target: target)
            return nil
        } catch {
            return error.message
        }
    }

    // MARK: - Helpers

    /// Why a countdown answer is wrong.
    private struct Rejection: Error {
        let message: String
    }

    /// Throws the reason when `answer` is not a correct countdown expression.
    private func checkExpression(_ answer: String, numbers: [Int], target: Int) throws(Rejection) {
        var text = Substring(answer)
        if let equals = text.lastIndex(of: "=") {
            let stated = text[text.index(after: equals)...]
            guard NumericAnswer.canonical(String(stated)) == String(target) else {
                throw Rejection(message: "states \"\(trimmed(String(stated)))\" after =, not \(target)")
            }
            text = text[..<equals]
        }
        let expression: ArithmeticExpression
        do {
            expression = try ArithmeticExpression(parsing: String(text))
        } catch {
            throw Rejection(message: error.description)
        }
        var remaining = numbers
        for literal in expression.literals {
            guard let index = remaining.firstIndex(where: { Int64($0) == literal }) else {
                let given = numbers.map(String.init).joined(separator: ", ")
                let reason = numbers.contains { Int64($0) == literal } ? "more often than given" : "which is not given"
                throw Rejection(message: "uses \(literal) \(reason) (numbers: \(given))")
            }
            remaining.remove(at: index)
        }
        guard remaining.isEmpty else {
            throw Rejection(message: "does not use \(remaining.map(String.init).joined(separator: ", "))")
        }
        guard let goal = Rational(Int64(target)), expression.value == goal else {
            throw Rejection(message: "evaluates to \(expression.value), not \(target)")
        }
    }

    /// `text` without surrounding whitespace.
    private func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
