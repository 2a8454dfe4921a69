// A small, safe parser and exact evaluator for answers such as "(3+5)*2" over integers.

/// An integer arithmetic expression, parsed and evaluated exactly with `Rational`.
///
/// Grammar (spaces allowed between tokens):
/// ```
/// expression = term { ("+" | "-") term }
/// term       = factor { ("*" | "/") factor }
/// factor     = integer | "(" expression ")"
/// integer    = digit { digit }
/// ```
/// There are no unary signs: `-3` and `+3` are rejected, as countdown rules allow only binary
/// operations. Input is untrusted: length, nesting depth, literal size and every intermediate
/// value are checked, and each failure is an `ExpressionError`, never a trap.
public struct ArithmeticExpression: Sendable, Equatable {
    /// The exact value.
    public let value: Rational
    /// The integer literals in order of appearance (leading zeros dropped: `07` is 7).
    public let literals: [Int64]

    /// The longest accepted text, in bytes; far above any countdown answer.
    public static let maximumLength = 1024
    /// The deepest accepted nesting of parentheses; bounds the parser's recursion.
    public static let maximumDepth = 32

    /// Parses and evaluates `text`.
    /// - Parameter text: the expression, e.g. `"(3+5)*2"`.
    /// - Throws: `ExpressionError` for text that is too long or too deep, malformed, or whose
    ///   evaluation overflows or divides by zero.
    public init(parsing text: String) throws(ExpressionError) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength else {
            throw .tooLong(length: bytes.count, limit: Self.maximumLength)
        }
        var parser = Parser(bytes: bytes)
        guard parser.peek() != nil else { throw .empty }
        value = try parser.expression(depth: 0)
        if let extra = parser.peek() { throw parser.unexpected(extra) }
        literals = parser.literals
    }
}

/// The recursive-descent parser; recursion happens only at parentheses, bounded by `maximumDepth`.
private struct Parser {
    let bytes: [UInt8]
    var position = 0
    var literals: [Int64] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next non-space byte, without consuming it.
    mutating func peek() -> UInt8? {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expression(depth: Int) throws(ExpressionError) -> Rational {
        var value = try term(depth: depth)
        while let byte = peek(), byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
            position += 1
            let right = try term(depth: depth)
            let result = byte == UInt8(ascii: "+") ? value.adding(right) : value.subtracting(right)
            guard let result else { throw .overflow }
            value = result
        }
        return value
    }

    mutating func term(depth: Int) throws(ExpressionError) -> Rational {
        var value = try factor(depth: depth)
        while let byte = peek(), byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/") {
            position += 1
            let right = try factor(depth: depth)
            if byte == UInt8(ascii: "/") && right.isZero { throw .divisionByZero }
            let result = byte == UInt8(ascii: "*") ? value.multiplying(right) : value.dividing(by: right)
            guard let result else { throw .overflow }
            value = result
        }
        return value
    }

    mutating func factor(depth: Int) throws(ExpressionError) -> Rational {
        guard let byte = peek() else { throw .unexpectedEnd }
        if byte == UInt8(ascii: "(") {
            guard depth < ArithmeticExpression.maximumDepth else {
                throw .tooDeep(limit: ArithmeticExpression.maximumDepth)
            }
            position += 1
            let value = try expression(depth: depth + 1)
            guard let close = peek() else { throw .unexpectedEnd }
            guard close == UInt8(ascii: ")") else { throw unexpected(close) }
            position += 1
            return value
        }
        guard isDigit(byte) else { throw unexpected(byte) }
        var literal: Int64 = 0
        while position < bytes.count, isDigit(bytes[position]) {
            let (scaled, overflow1) = literal.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(Int64(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw .overflow }
            literal = sum
            position += 1
        }
        literals.append(literal)
        guard let value = Rational(literal) else { throw .overflow }
        return value
    }

    /// The error for `byte` at the current position: a misplaced token or a foreign character.
    func unexpected(_ byte: UInt8) -> ExpressionError {
        let operators = Array("+-*/()".utf8)
        if operators.contains(byte) || isDigit(byte) {
            return .unexpectedToken(String(decoding: [byte], as: UTF8.self), offset: position)
        }
        // Show the whole character, which may span several bytes.
        let text = String(decoding: bytes[position...], as: UTF8.self)
        return .unexpectedCharacter(text.first.map(String.init) ?? "?", offset: position)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
