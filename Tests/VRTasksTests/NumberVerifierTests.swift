// Tests for the fraction and approximate verifiers and the numeric verifier's fraction and variable forms.

import Testing

@testable import VRTasks

@Suite("Fraction and approximate verifiers")
struct NumberVerifierTests {
    @Test("numeric compares values: a fraction equals its decimal, x = 5 and 5. are 5")
    func numericForms() {
        let verifier = Verifier.numeric
        for answer in ["3/4", "6/8", "0.75", "\\frac{3}{4}", "$3/4$", "x = 0.75", "0.750."] {
            #expect(verifier.accepts(answer, reference: "3/4"), "\(answer)")
        }
        #expect(verifier.accepts("-1/3", reference: "-2/6") && !verifier.accepts("1/3", reference: "-2/6"))
        #expect(!verifier.accepts("0.333", reference: "1/3"))
        #expect(verifier.accepts("b = 40", reference: "40") && !verifier.accepts("b = 41", reference: "40"))
    }

    @Test("fraction: lowest terms, positive denominator, the reference's value")
    func fraction() {
        let verifier = Verifier.fraction
        for answer in ["138/583", " 138 / 583 ", "$138/583$", "\\frac{138}{583}", "$\\dfrac{138}{583}$", "138/583."] {
            #expect(verifier.accepts(answer, reference: "138/583"), "\(answer)")
        }
        for answer in ["276/1166", "583/138", "-138/583", "139/583", "0.236706", "138", "138/583 cm", "", "138/-583"] {
            #expect(!verifier.accepts(answer, reference: "138/583"), "\(answer)")
        }
        #expect(verifier.accepts("-3/4", reference: "$-\\frac{3}{4}$") && verifier.accepts("3/1", reference: "3/1"))
        #expect(!verifier.accepts("6/8", reference: "6/8"))  // a reference not in lowest terms accepts nothing reduced
        #expect(verifier.accepts("3/4", reference: "6/8"))
    }

    @Test("approximate: |answer - reference| <= tolerance, exactly, boundary included")
    func approximate() {
        let verifier = Verifier.approximate(tolerance: "0.001")
        let reference = "6.32098837209"
        for answer in [reference, "6.321", "6.32198837209", "6.31998837209", "6.3215", "+6.320", "x = 6.321."] {
            #expect(verifier.accepts(answer, reference: reference), "\(answer)")
        }
        for answer in ["6.32198837210", "6.3199", "6.3", "-6.321", "6.321e0", "", "6.32098837209000000001"] {
            #expect(!verifier.accepts(answer, reference: reference), "\(answer)")
        }
        #expect(Verifier.approximate(tolerance: "0").accepts("1.50", reference: "3/2"))
        #expect(!Verifier.approximate(tolerance: "abc").accepts("1", reference: "1"))
        #expect(!Verifier.approximate(tolerance: "-1").accepts("1", reference: "1"))
    }

    @Test("countdown answers may state the target as a fraction or with a full stop")
    func expressionTarget() {
        let verifier = Verifier.expression(numbers: [3, 5, 2], target: 16)
        #expect(verifier.accepts("(3+5)*2=16.", reference: ""))
        #expect(verifier.accepts("(3+5)*2 = 32/2", reference: ""))
        #expect(!verifier.accepts("(3+5)*2=17", reference: ""))
    }
}
