// Tests for the expression parser and exact rational evaluation, including hostile input that must never crash.

import Testing

@testable import VRTasks

@Suite("Arithmetic expressions")
struct ArithmeticExpressionTests {
    @Test("precedence, associativity, parentheses and exact fractions")
    func evaluation() throws {
        let cases: [(String, Rational)] = [
            ("1+2*3", Rational(7)!), ("(1+2)*3", Rational(9)!), ("8-3-2", Rational(3)!), ("8/4/2", Rational(1)!),
            ("7/2", Rational(numerator: 7, denominator: 2)!), ("1/3+1/6", Rational(numerator: 1, denominator: 2)!),
            ("2-5", Rational(-3)!), ("007", Rational(7)!), (" 12 * ( 3 - 1 ) ", Rational(24)!),
        ]
        for (text, value) in cases {
            #expect(try ArithmeticExpression(parsing: text).value == value, "\(text)")
        }
        #expect(try ArithmeticExpression(parsing: "(3+5)*2").literals == [3, 5, 2])
    }

    @Test("errors: division by zero, overflow, depth, length, malformed")
    func errors() throws {
        let cases: [(String, ExpressionError)] = [
            ("1/0", .divisionByZero), ("1/(2-2)", .divisionByZero),
            ("99999999999999999999", .overflow), ("9223372036854775807*2", .overflow),
            ("4611686018427387904+4611686018427387904", .overflow),
            ("1/3037000500/3037000500", .overflow),
            (String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40), .tooDeep(limit: 32)),
            (String(repeating: "1+", count: 600) + "1", .tooLong(length: 1201, limit: 1024)),
            ("", .empty), ("   ", .empty), ("1+", .unexpectedEnd), ("(1", .unexpectedEnd),
            ("1 2", .unexpectedToken("2", offset: 2)), ("+1", .unexpectedToken("+", offset: 0)),
            ("2^3", .unexpectedCharacter("^", offset: 1)), ("2×3", .unexpectedCharacter("×", offset: 1)),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text.prefix(30))") { try ArithmeticExpression(parsing: text) }
        }
        // Depth 32 is still accepted.
        let deep = String(repeating: "(", count: 32) + "1" + String(repeating: ")", count: 32)
        #expect(try ArithmeticExpression(parsing: deep).value == Rational(1)!)
    }

    @Test("random garbage never crashes, and the verifier never accepts it by accident")
    func fuzz() {
        var random = TaskRandom(seed: 99)
        let alphabet = Array("0123456789+-*/() =x.\u{0}é9999999999")
        let verifier = Verifier.expression(numbers: [3, 5, 2], target: 16)
        for _ in 0..<20_000 {
            let length = random.int(in: 0...40)
            let text = String((0..<length).map { _ in random.element(of: alphabet) })
            _ = try? ArithmeticExpression(parsing: text)
            if verifier.accepts(text, reference: "") {
                // Only genuine solutions may pass: re-check the rule independently.
                let expression = try? ArithmeticExpression(
                    parsing: text.split(separator: "=").first.map(String.init) ?? "")
                #expect(expression?.literals.sorted() == [2, 3, 5] && expression?.value == Rational(16)!, "\(text)")
            }
        }
        // Huge and pathological inputs.
        let huge = String(repeating: "(", count: 100_000)
        #expect(throws: ExpressionError.self) { try ArithmeticExpression(parsing: huge) }
        #expect(!verifier.accepts(huge, reference: ""))
        #expect(!verifier.accepts(String(repeating: "9", count: 5000), reference: ""))
        #expect(!verifier.accepts(String(repeating: "=", count: 50), reference: ""))
    }

    @Test("rational arithmetic reports overflow instead of trapping")
    func rational() {
        let big = Rational(Int64.max)!
        #expect(big.adding(Rational(1)!) == nil)
        #expect(big.multiplying(Rational(2)!) == nil)
        #expect(Rational(Int64.min) == nil)
        #expect(Rational(numerator: 1, denominator: 0) == nil)
        #expect(Rational(-Int64.max)!.subtracting(Rational(1)!) == nil)
        #expect(Rational(3)!.dividing(by: Rational(0)!) == nil)
        #expect(Rational(numerator: 6, denominator: -4) == Rational(numerator: -3, denominator: 2))
        #expect(Rational(numerator: 2, denominator: 4)!.description == "1/2")
        #expect(big.subtracting(big) == Rational(0)!)
    }
}
