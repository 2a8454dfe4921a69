// Tests for JSONL import (accepted shapes, errors with line numbers and fields) and the export round trip.

import Foundation
import Testing

@testable import VRTasks

@Suite("Task dataset JSONL")
struct TaskDatasetJSONLTests {
    func parse(_ text: String, verifier: VerifierKind? = .numeric) throws(TaskError) -> TaskDataset {
        try TaskDataset.parse(Data(text.utf8), source: "data.jsonl", verifier: verifier)
    }

    /// The issues of a file that must be rejected.
    func issues(_ text: String, verifier: VerifierKind? = .numeric) -> [TaskDatasetIssue] {
        do {
            _ = try parse(text, verifier: verifier)
            Issue.record("expected the file to be rejected")
            return []
        } catch {
            guard case .invalidDataset(let source, let issues) = error else {
                Issue.record("unexpected error \(error)")
                return []
            }
            #expect(source == "data.jsonl")
            return issues
        }
    }

    @Test("the dataset fingerprint of docs/protocol.md's test vector")
    func fingerprintTestVector() throws {
        // The two lines and the fingerprint as docs/protocol.md gives them to third-party workers.
        let text = #"""
            {"id": "a1", "question": "2+3=?", "answer": 5, "verifier": "numeric"}
            {"question": "7+8=?", "solution": "7+8=15\nAnswer: 15", "worked_solution": "7+8=15", "verifier": "numeric"}
            """#
        let dataset = try parse(text, verifier: nil)
        #expect(dataset.items.map(\.id) == ["a1", "line-2"])
        #expect(dataset.fingerprint == "070ef90073a413f1")
    }

    @Test("question/answer lines, with optional thought, difficulty and id")
    func answerShape() throws {
        let dataset = try parse(
            #"""
            {"question": "2+3=?", "answer": "5"}

            {"question": "6*7=?", "answer": 42, "thought": "6*7=42", "difficulty": 2, "id": "q2", "extra": true}
            """#)
        #expect(dataset.items.count == 2)
        let first = dataset.items[0]
        #expect(first.id == "line-1" && first.finalAnswer == "5" && first.referenceSolution == "Answer: 5")
        #expect(
            first.referenceThought == "" && first.difficulty == 0 && first.family == nil && first.verifier == .numeric)
        let second = dataset.items[1]
        #expect(
            second.id == "q2" && second.finalAnswer == "42" && second.difficulty == 2
                && second.referenceThought == "6*7=42")
        #expect(second.isCorrect("42") && !second.isCorrect("43"))
        // Windows line ends, and the small integers 0 and 1 (not booleans).
        let crlf = try parse(
            "{\"question\": \"a\", \"answer\": 0, \"difficulty\": 1}\r\n{\"question\": \"b\", \"answer\": 1}\r\n")
        #expect(crlf.items.map(\.finalAnswer) == ["0", "1"] && crlf.items[0].difficulty == 1)
        let float = issues(#"{"question": "a", "answer": 2.5}"#)
        #expect(float.first?.problem == .wrongType(expected: "a string or an integer", found: "a number"))
    }

    @Test("Bespoke-Stratos shape: question / thought / solution, answer from the boxed value")
    func bespokeShape() throws {
        let line = #"""
            {"question": "Find x if 2x=8.", "thought": "Divide by 2.", "solution": "We get $x = \\boxed{4}$."}
            """#
        let dataset = try parse(line)
        #expect(dataset.items[0].finalAnswer == "4")
        #expect(dataset.items[0].referenceSolution == "We get $x = \\boxed{4}$.")
        #expect(dataset.items[0].referenceThought == "Divide by 2.")
        let exact = try parse(
            #"{"question": "Capital of France?", "solution": "It is Paris.\nAnswer: Paris"}"#, verifier: .exact)
        #expect(exact.items[0].finalAnswer == "Paris" && exact.items[0].isCorrect(" Paris "))
    }

    @Test("expression lines need numbers and target; the reference must solve the puzzle")
    func expressionShape() throws {
        let dataset = try parse(
            #"{"question": "Make 16 with 3 5 2.", "answer": "(3+5)*2", "numbers": [3, 5, 2], "target": 16}"#,
            verifier: .expression)
        #expect(dataset.items[0].verifier == .expression(numbers: [3, 5, 2], target: 16))
        #expect(dataset.items[0].isCorrect("2*(5+3)"))
        let problems = issues(
            #"""
            {"question": "q", "answer": "(3+5)*2", "numbers": [3, 5, 2]}
            {"question": "q", "answer": "(3+5)*2", "numbers": "3 5 2", "target": 16}
            {"question": "q", "answer": "(3+5)*2", "numbers": [3, 5.5], "target": "16"}
            {"question": "q", "answer": "3+5+2", "numbers": [3, 5, 2], "target": 16}
            """#, verifier: .expression)
        #expect(problems.map(\.line) == [1, 2, 3, 3, 4])
        #expect(problems.map(\.field) == ["target", "numbers", "numbers", "target", "answer"])
        #expect(problems[0].problem == .missingField)
        #expect(problems[1].problem == .wrongType(expected: "an array of integers", found: "a string"))
        #expect(problems[4].description.contains("evaluates to 10, not 16"))
    }

    @Test("every malformed line is reported with its line number and field; nothing is skipped")
    func malformedLines() {
        let problems = issues(
            #"""
            {"question": "ok", "answer": "1"}
            not json
            [1, 2]
            {"answer": "1"}
            {"question": 5, "answer": "1"}
            {"question": "q"}
            {"question": "q", "answer": "one"}
            {"question": "q", "answer": "1", "difficulty": -1}
            {"question": "q", "answer": "1", "difficulty": "hard"}
            {"question": "  ", "solution": "  "}
            {"question": "q", "answer": "1", "family": "algebra"}
            {"question": "q", "answer": null, "solution": null}
            """#)
        let summary = problems.map { "\($0.line):\($0.field ?? "-")" }
        #expect(
            summary == [
                "2:-", "3:-", "4:question", "5:question", "6:answer", "7:answer", "8:difficulty", "9:difficulty",
                "10:question", "10:solution", "11:family", "12:answer",
            ])
        #expect(problems[0].problem == .notJSON && problems[1].problem == .notAnObject)
        #expect(problems[2].problem == .missingField)
        #expect(problems[3].problem == .wrongType(expected: "a string", found: "an integer"))
        #expect(problems[3].description == #"line 5: field "question" is an integer, expected a string"#)
        #expect(problems[5].description.contains("not a valid numeric answer"))
        #expect(problems[8].problem == .emptyField)
    }

    @Test("the verifier comes from each line when none is chosen")
    func perLineVerifier() throws {
        let dataset = try parse(
            #"""
            {"question": "a", "answer": "x", "verifier": "exact"}
            {"question": "b", "answer": "7", "verifier": "numeric"}
            """#, verifier: nil)
        #expect(dataset.items.map(\.verifier) == [.exact, .numeric])
        let problems = issues(
            #"{"question": "a", "answer": "x"}"# + "\n" + #"{"question": "a", "answer": "x", "verifier": "fuzzy"}"#,
            verifier: nil)
        #expect(problems.map(\.line) == [1, 2] && problems.allSatisfy { $0.field == "verifier" })
    }

    @Test("an empty file is an error, and so is a missing one")
    func emptyAndMissing() {
        #expect(throws: TaskError.emptyDataset(source: "data.jsonl")) { try parse("\n  \n") }
        #expect {
            try TaskDataset.read(from: "/nonexistent/tasks.jsonl", verifier: .numeric)
        } throws: { error in
            guard case .io(let path, _) = error as? TaskError else { return false }
            return path == "/nonexistent/tasks.jsonl"
        }
    }

    @Test("generated sets export to JSONL and import back unchanged")
    func roundTrip() throws {
        let configurations = TaskFamily.allCases.flatMap { family in
            ThoughtStyle.allCases.map { TaskGeneratorConfiguration(family: family, seed: 4, thoughtStyle: $0) }
        }
        let dataset = try TaskDataset.generated(configurations, countPerConfiguration: 50, split: .test)
        let text = dataset.jsonLines()
        #expect(text.split(separator: "\n").count == dataset.items.count)
        #expect(try parse(text, verifier: nil) == dataset)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vrtasks-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try dataset.write(to: path)
        #expect(try TaskDataset.read(from: path, verifier: nil) == dataset)
    }

    @Test("exported lines have the documented keys")
    func exportLayout() throws {
        let item = TaskItem(
            id: "c", family: .countdown, question: "Make 16 with 3 5 2, each once.", referenceThought: "3+5=8;8*2=16",
            referenceSolution: "Answer: (3+5)*2", finalAnswer: "(3+5)*2", difficulty: 2,
            verifier: .expression(numbers: [3, 5, 2], target: 16), workedSolution: "3+5=8;8*2=16 Answer: (3+5)*2")
        #expect(
            TaskDataset(items: [item]).jsonLines()
                == #"{"answer":"(3+5)*2","difficulty":2,"family":"countdown","id":"c","numbers":[3,5,2],"#
                + #""question":"Make 16 with 3 5 2, each once.","solution":"Answer: (3+5)*2","target":16,"#
                + #""thought":"3+5=8;8*2=16","verifier":"expression","worked_solution":"3+5=8;8*2=16 Answer: (3+5)*2"}"#
                + "\n")
    }
}
