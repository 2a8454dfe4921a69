// Tests for the exact and numeric verifiers, and that perturbed reference answers are rejected.

import Testing

@testable import VRTasks

@Suite("Verifiers")
struct VerifierTests {
    @Test("numeric: sign, whitespace, thousands commas and trailing fraction zeros are tolerated")
    func numericAccepts() {
        let verifier = Verifier.numeric
        for answer in ["1234", " 1234\n", "+1234", "1,234", "01234", "1234.0", "1234.000", "1234.", "1,234.0."] {
            #expect(verifier.accepts(answer, reference: "1234"), "\(answer)")
        }
        #expect(verifier.accepts("-0", reference: "0"))
        #expect(verifier.accepts("2.50", reference: "2.5"))
        #expect(verifier.accepts("-1,000,000", reference: "-1000000"))
        #expect(
            verifier.accepts("123456789012345678901234567890", reference: "123,456,789,012,345,678,901,234,567,890"))
    }

    @Test("numeric: anything else is rejected")
    func numericRejects() {
        let verifier = Verifier.numeric
        for answer in [
            "1235", "123", "-1234", "12,34", "1,2345", ",1234", "1234..", "1234 apples", "1 234", "1e3", "", "--1234",
            "1234.5", "0x4D2", "١٢٣٤", ".", "x =", "x = y = 1234", "xy = 1234", "$1234", "- 1234", "1234/0",
            "2468/2/1",
        ] {
            #expect(!verifier.accepts(answer, reference: "1234"), "\(answer)")
        }
        #expect(!verifier.accepts(nil, reference: "1234"))
        // A reference that is not a number accepts nothing.
        #expect(!verifier.accepts("abc", reference: "abc"))
    }

    @Test("exact: equal after trimming, case and inner spaces matter")
    func exact() {
        #expect(Verifier.exact.accepts("  Paris\n", reference: "Paris"))
        #expect(!Verifier.exact.accepts("paris", reference: "Paris"))
        #expect(!Verifier.exact.accepts("Par is", reference: "Paris"))
        #expect(!Verifier.exact.accepts("", reference: ""))
    }

    @Test(
        "perturbed reference answers are rejected: +1, -1, a dropped digit, a doubled digit",
        arguments: [TaskFamily.addition, .multiplication, .wordProblem])
    func perturbedNumeric(family: TaskFamily) throws {
        let generator = try TaskGeneratorConfiguration(
            family: family, seed: 5, difficulties: family.supportedDifficulties
        )
        .makeGenerator()
        for item in generator.items(count: 2000, split: .train) {
            let value = Int(item.finalAnswer)!
            var perturbed = [String(value + 1), String(value - 1), item.finalAnswer + "0", "0." + item.finalAnswer]
            if item.finalAnswer.count > 1 { perturbed.append(String(item.finalAnswer.dropFirst())) }
            if item.finalAnswer.count > 1 { perturbed.append(String(item.finalAnswer.dropLast())) }
            for answer in perturbed where answer != item.finalAnswer && Int(answer) != value {
                #expect(!item.isCorrect(answer), "\(item.question): \(answer)")
            }
        }
    }
}
