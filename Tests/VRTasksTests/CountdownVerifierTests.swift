// Tests that the countdown verifier accepts every correct expression and rejects rule breakers.

import Foundation
import Testing

@testable import VRTasks

@Suite("Countdown verifier")
struct CountdownVerifierTests {
    let verifier = Verifier.expression(numbers: [3, 5, 2], target: 16)

    @Test("hand-made alternative solutions are accepted, not only the reference")
    func alternatives() {
        for answer in ["(3+5)*2", "2*(5+3)", "(5+3)*2", "2*(3+5)", " ( 3 + 5 ) * 2 ", "(3+5)*2=16", "((3+5))*2"] {
            #expect(verifier.accepts(answer, reference: "(3+5)*2"), "\(answer)")
        }
        // Fractions in between are fine when the result is exact: 6/(1/4)... with numbers 6, 1, 4 -> 24.
        let fractions = Verifier.expression(numbers: [6, 1, 4], target: 24)
        #expect(fractions.accepts("6/(1/4)", reference: "6*4*1"))
        let repeated = Verifier.expression(numbers: [2, 2, 3], target: 12)
        #expect(repeated.accepts("2*2*3", reference: "3*2*2"))
    }

    @Test("rule breakers are rejected with a reason")
    func rejections() {
        let cases: [(String, String)] = [
            ("3*5+2-1", "not given"),  // 1 is not given
            ("(3+5)*2+4", "not given"),  // 4 not given
            ("(5+5)+3*2", "more often"),  // 5 used twice
            ("3*5", "does not use"),  // 2 unused
            ("3+5+2", "evaluates to 10"),
            ("(3+5)*2=17", "after ="),
            ("-3+5*2+9", "unexpected"),  // unary minus
            ("(3+5)*2)", "unexpected"),
            ("(3+5)x2", "unexpected character"),
            ("", "empty"),
        ]
        for (answer, reason) in cases {
            #expect(!verifier.accepts(answer, reference: "(3+5)*2"), "\(answer)")
            let message = verifier.rejection(of: answer) ?? ""
            #expect(message.contains(reason), "\(answer): \(message)")
        }
        #expect(verifier.rejection(of: "(3+5)*2") == nil)
        #expect(Verifier.numeric.rejection(of: "x") == nil)
    }

    @Test("every brute-force solution of generated puzzles is accepted; perturbed ones are rejected")
    func bruteForce() throws {
        let generator = try CountdownGenerator(configuration: .init(family: .countdown, seed: 3, difficulties: 1...3))
        var alternativesSeen = 0
        var rejectedOperatorChanges = 0
        for item in generator.items(count: 150, split: .train) {
            guard case .expression(let numbers, let target) = item.verifier else { continue }
            let solutions = CountdownSolver.solutions(numbers: numbers, target: target, limit: 20)
            #expect(!solutions.isEmpty)
            for solution in solutions {
                #expect(item.isCorrect(solution), "\(item.question): \(solution)")
                if solution != item.finalAnswer { alternativesSeen += 1 }
            }
            // Perturbations: change the first operator (correct only if the value still hits the target),
            // add a number that is not given, reuse a number.
            let reference = item.finalAnswer
            if let index = reference.firstIndex(where: { "+-*/".contains($0) }) {
                for symbol in ["+", "-", "*", "/"] where String(reference[index]) != symbol {
                    let changed = reference.replacingCharacters(in: index...index, with: symbol)
                    let hits = (try? ArithmeticExpression(parsing: changed).value) == Rational(Int64(target))
                    #expect(item.isCorrect(changed) == hits, "\(changed)")
                    if !hits { rejectedOperatorChanges += 1 }
                }
            }
            #expect(!item.isCorrect(reference + "+1"))
            #expect(!item.isCorrect(reference + "*" + String(numbers[0])))
            #expect(!item.isCorrect("(" + reference + ")+0"))
        }
        #expect(alternativesSeen > 100)
        #expect(rejectedOperatorChanges > 300)
    }

    @Test("the brute-force solver agrees with the verifier on a full small puzzle")
    func smallPuzzle() {
        let numbers = [4, 6, 8]
        let solutions = CountdownSolver.solutions(numbers: numbers, target: 24, limit: 200)
        let verifier = Verifier.expression(numbers: numbers, target: 24)
        #expect(solutions.count == 2)  // ((8-4)*6) and (6*(8-4)), fully parenthesised
        #expect(solutions.allSatisfy { verifier.accepts($0, reference: "") })
        let many = CountdownSolver.solutions(numbers: [1, 2, 3, 4], target: 24, limit: 500)
        #expect(many.count > 20)
        #expect(many.allSatisfy { Verifier.expression(numbers: [1, 2, 3, 4], target: 24).accepts($0, reference: "") })
        #expect(verifier.accepts("8*6/(4-2)", reference: "") == false)  // 2 is not given
        #expect(verifier.accepts("6*8/(8-4)", reference: "") == false)  // 8 twice, 6 once -> wrong multiset
        #expect(verifier.accepts("4*(8-6)*6", reference: "") == false)  // 6 twice
    }
}
