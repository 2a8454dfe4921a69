// Tests for choosing the fraction and approximate verifiers in JSONL lines, their errors, and the round trip.

import Foundation
import Testing

@testable import VRTasks

@Suite("Imported verifiers")
struct ImportedVerifierTests {
    func parse(_ text: String) throws(TaskError) -> TaskDataset {
        try TaskDataset.parse(Data(text.utf8), source: "rg.jsonl", verifier: nil)
    }

    /// The issues of a file that must be rejected.
    func issues(_ text: String) -> [TaskDatasetIssue] {
        do {
            _ = try parse(text)
            Issue.record("expected the file to be rejected")
        } catch {
            if case .invalidDataset(_, let issues) = error { return issues }
            Issue.record("unexpected error \(error)")
        }
        return []
    }

    @Test("fraction and approximate lines, with the extra keys an export writes")
    func accepted() throws {
        let dataset = try parse(
            #"""
            {"question": "Simplify 6/8.", "answer": "3/4", "verifier": "fraction", "source": "reasoning-gym/x"}
            {"question": "1/3 = ?", "answer": "0.333333333333", "verifier": "approximate", "tolerance": "0.001"}
            {"question": "Solve for e: 2*e = 26", "answer": "13", "verifier": "numeric", "source_index": 4}
            """#)
        #expect(dataset.items.map(\.verifier) == [.fraction, .approximate(tolerance: "0.001"), .numeric])
        #expect(dataset.items[0].isCorrect("$\\frac{3}{4}$") && !dataset.items[0].isCorrect("6/8"))
        #expect(dataset.items[1].isCorrect("0.333") && !dataset.items[1].isCorrect("0.33"))
        #expect(dataset.items[2].isCorrect("e = 13"))
    }

    @Test("bad verifier lines are reported with their line and field")
    func rejected() {
        let problems = issues(
            #"""
            {"question": "a", "answer": "1", "verifier": "approximate"}
            {"question": "a", "answer": "1", "verifier": "approximate", "tolerance": 0.001}
            {"question": "a", "answer": "1", "verifier": "approximate", "tolerance": "-0.5"}
            {"question": "a", "answer": "6/8", "verifier": "fraction"}
            {"question": "a", "answer": "1", "verifier": "decimal"}
            {"question": "a", "answer": "1"}
            """#)
        #expect(problems.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(problems.map(\.field) == ["tolerance", "tolerance", "tolerance", "answer", "verifier", "verifier"])
        #expect(problems[0].problem == .missingField)
        #expect(problems[1].problem == .wrongType(expected: "a string", found: "a number"))
        #expect(problems[2].description.contains("not a non-negative number"))
        #expect(problems[3].description.contains("the fraction verifier rejects the reference"))
        #expect(
            problems[4].description
                == #"line 5: field "verifier": unknown verifier "decimal"; known: exact, numeric, expression, "#
                + #"fraction, approximate"#)
        #expect(problems[5].problem == .missingField)
    }

    @Test("fraction and approximate items export and import back unchanged")
    func roundTrip() throws {
        let items = [
            TaskItem(
                id: "f", family: nil, question: "Simplify 6/8.", referenceThought: "", referenceSolution: "Answer: 3/4",
                finalAnswer: "3/4", difficulty: 0, verifier: .fraction),
            TaskItem(
                id: "a", family: nil, question: "1/3 = ?", referenceThought: "1/3 is 0.333...",
                referenceSolution: "Answer: 0.333333", finalAnswer: "0.333333", difficulty: 2,
                verifier: .approximate(tolerance: "0.001")),
        ]
        let text = TaskDataset(items: items).jsonLines()
        #expect(text.contains(#""tolerance":"0.001","#) && text.contains(#""verifier":"fraction""#))
        #expect(try parse(text).items == items)
    }
}
