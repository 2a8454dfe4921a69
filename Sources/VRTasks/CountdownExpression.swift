// The expression tree of a constructed countdown solution, and its rendering with minimal parentheses.

/// A countdown solution as a tree of binary operations over the given numbers.
indirect enum CountdownExpression: Sendable, Equatable {
    /// A given number.
    case number(Int)
    /// `left op right`, with its integer value.
    case operation(Character, CountdownExpression, CountdownExpression, value: Int)

    /// The integer value (constructed trees have integer intermediates).
    var value: Int {
        switch self {
        case .number(let value): value
        case .operation(_, _, _, let value): value
        }
    }

    /// The text, such as `(3+5)*2`, with only the parentheses the usual precedence rules require.
    var text: String {
        render(parentPrecedence: 0, isRightOperand: false, parentOperator: nil)
    }

    /// 1 for `+ -`, 2 for `* /`, 3 for numbers.
    private var precedence: Int {
        switch self {
        case .number: 3
        case .operation(let symbol, _, _, _): symbol == "+" || symbol == "-" ? 1 : 2
        }
    }

    private func render(parentPrecedence: Int, isRightOperand: Bool, parentOperator: Character?) -> String {
        guard case .operation(let symbol, let left, let right, _) = self else { return String(value) }
        let inner =
            left.render(parentPrecedence: precedence, isRightOperand: false, parentOperator: symbol)
            + String(symbol) + right.render(parentPrecedence: precedence, isRightOperand: true, parentOperator: symbol)
        // a-(b+c) and a/(b*c) need parentheses; a+(b-c) and a*(b/c) do not (same exact value).
        let needsParentheses =
            precedence < parentPrecedence
            || (precedence == parentPrecedence && isRightOperand && (parentOperator == "-" || parentOperator == "/"))
        return needsParentheses ? "(" + inner + ")" : inner
    }
}
