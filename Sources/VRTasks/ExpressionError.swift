// Why an arithmetic answer could not be evaluated.

/// A failure to parse or evaluate an arithmetic expression; never a crash.
public enum ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is longer than the limit, in bytes.
    case tooLong(length: Int, limit: Int)
    /// Parentheses nest deeper than the limit.
    case tooDeep(limit: Int)
    /// The text holds no expression.
    case empty
    /// A character outside digits, `+ - * / ( )` and spaces, at a byte offset.
    case unexpectedCharacter(String, offset: Int)
    /// A token where it does not belong (e.g. `3+*4`, `(3`, `3 4`), at a byte offset.
    case unexpectedToken(String, offset: Int)
    /// The text ends in the middle of an expression.
    case unexpectedEnd
    /// A literal or an intermediate value does not fit the exact 64-bit fractions.
    case overflow
    /// A division by a value that is zero.
    case divisionByZero

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .tooLong(let length, let limit): "the expression has \(length) bytes, more than the limit \(limit)"
        case .tooDeep(let limit): "parentheses nest deeper than \(limit) levels"
        case .empty: "the expression is empty"
        case .unexpectedCharacter(let text, let offset): "unexpected character \"\(text)\" at byte \(offset)"
        case .unexpectedToken(let text, let offset): "unexpected \"\(text)\" at byte \(offset)"
        case .unexpectedEnd: "the expression ends too early"
        case .overflow: "a number is too large for exact evaluation"
        case .divisionByZero: "division by zero"
        }
    }
}
