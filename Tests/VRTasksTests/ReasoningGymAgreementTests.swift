// Compares the VRTasks verifiers with reasoning-gym's score_answer on the committed fixture of candidate answers.

import Foundation
import Testing

@testable import VRTasks

@Suite("Agreement with reasoning-gym's score_answer")
struct ReasoningGymAgreementTests {
    /// One line of `data/reasoning-gym/score-agreement.jsonl` (written by scripts/reasoning-gym/agreement.py).
    struct Row: Decodable {
        let family: String
        let verifier: String
        let tolerance: String?
        let answer: String
        let label: String
        let candidate: String
        /// reasoning-gym's score; only 1.0 counts as correct (lower scores are partial credit).
        let score: Double
    }

    /// Where VRTasks may decide otherwise than reasoning-gym, keyed by family and candidate label, with the reason.
    /// Every other row must agree, and every entry here must disagree on at least one row of the fixture.
    static let allowedDisagreements: [String: String] = {
        let exactString =
            "reasoning-gym's default score_answer gives 1.0 only to the reference string itself; "
            + "VRTasks reads the number"
        var reasons: [String: String] = [:]
        for family in ["basic_arithmetic", "leg_counting", "simple_equations"] {
            for label in ["padded", "trailing_period", "leading_plus", "leading_zero", "point_zero", "variable"] {
                reasons["\(family)/\(label)"] = exactString
            }
        }
        reasons["basic_arithmetic/thousands"] = exactString  // the other two families have no answer >= 1000
        for family in ["chain_sum", "products"] {
            reasons["\(family)/variable"] = "Python's Decimal cannot read `x = 5`; VRTasks drops a one-letter variable"
            reasons["\(family)/misplaced_comma"] =
                "reasoning-gym deletes every comma (12,34 -> 1234); VRTasks needs thousands groups of 3"
        }
        reasons["gsm_symbolic/negated"] =
            "reasoning-gym's regex \\b-?\\d+ cannot match a minus sign at the start, so -288 reads as 288"
        reasons["gsm_symbolic/sentence"] =
            "reasoning-gym takes the first number anywhere; VRTasks wants the answer alone"
        reasons["gsm_symbolic/units"] = reasons["gsm_symbolic/sentence"]
        reasons["gsm_symbolic/thousands"] = "reasoning-gym's regex stops at the comma, reading 1,234 as 1"
        reasons["decimal_arithmetic/variable"] = reasons["chain_sum/variable"]
        reasons["fraction_simplification/variable"] =
            "reasoning-gym reads no `x = 3/4`; VRTasks drops a one-letter variable"
        reasons["decimal_arithmetic/trailing_period"] =
            "Python's Decimal cannot read `6.32.`; VRTasks drops a full stop"
        reasons["decimal_arithmetic/scientific"] = "VRTasks reads no exponent notation (6.32E+0)"
        reasons["fraction_simplification/trailing_period"] =
            "reasoning-gym reads `3/4.` only in LaTeX style (a prefix match); VRTasks drops a full stop"
        reasons["fraction_simplification/units"] =
            "reasoning-gym's LaTeX regex matches a prefix, so `\\frac{3}{4} units` passes; VRTasks wants the answer alone"
        return reasons
    }()

    static func rows() throws -> [Row] {
        let text = try String(contentsOfFile: ReasoningGymFiles.path("score-agreement.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
    }

    static func verifier(of row: Row) throws -> Verifier {
        switch VerifierKind(rawValue: row.verifier) {
        case .numeric?: .numeric
        case .fraction?: .fraction
        case .approximate?: .approximate(tolerance: try #require(row.tolerance))
        default: throw TaskError.invalidConfiguration("no fixture verifier \(row.verifier)")
        }
    }

    @Test("the verifier accepts exactly what reasoning-gym scores 1.0, but for the listed disagreements")
    func agreement() throws {
        let rows = try Self.rows()
        #expect(Set(rows.map(\.family)).count == 8 && rows.count > 800)
        var disagreeing: Set<String> = []
        for row in rows {
            let accepted = try Self.verifier(of: row).accepts(row.candidate, reference: row.answer)
            guard accepted != (row.score == 1.0) else { continue }
            let key = "\(row.family)/\(row.label)"
            disagreeing.insert(key)
            let decision = accepted ? "accepts" : "rejects"
            #expect(
                Self.allowedDisagreements[key] != nil,
                "\(key): VRTasks \(decision) \"\(row.candidate)\" for \"\(row.answer)\", rg scores \(row.score)")
        }
        let stale = Set(Self.allowedDisagreements.keys).subtracting(disagreeing)
        #expect(stale.isEmpty, "listed disagreements that no row shows: \(stale.sorted())")
    }

    @Test("both accept every reference answer and reject every wrong value")
    func referencesAndWrongValues() throws {
        let wrong: Set<String> = [
            "plus_one", "minus_one", "dropped_digit", "beyond_tolerance", "below_tolerance", "swapped", "unreduced",
            "question_fraction", "empty",
        ]
        for row in try Self.rows() where row.label == "reference" || wrong.contains(row.label) {
            let accepted = try Self.verifier(of: row).accepts(row.candidate, reference: row.answer)
            #expect(accepted == (row.label == "reference"), "\(row.family)/\(row.label): \(row.candidate)")
            #expect((row.score == 1.0) == (row.label == "reference"), "\(row.family)/\(row.label): \(row.candidate)")
        }
    }
}
