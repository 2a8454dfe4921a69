import Foundation
import Testing
import VRTraining

@Suite("PromptResponseDataset")
struct PromptResponseDatasetTests {
    private func parse(_ text: String) throws(TrainingError) -> PromptResponseDataset {
        try PromptResponseDataset.parse(Data(text.utf8), source: "test.jsonl")
    }

    private func issues(_ text: String) -> [DatasetIssue] {
        do {
            _ = try parse(text)
            return []
        } catch {
            guard case .invalidDataset(let path, let issues) = error else { return [] }
            #expect(path == "test.jsonl")
            return issues
        }
    }

    @Test("a good file parses in order with line numbers; extra fields, blank lines and CRLF are fine")
    func goodFile() throws {
        let text = """
            {"prompt": "reverse: abc\\n", "response": "cba", "id": 7}

            {"response": "héllo <|end|>", "prompt": ""}\r
              \t
            {"prompt": "a", "response": "b", "meta": {"x": [1, 2]}}
            """
        let dataset = try parse(text)
        #expect(
            dataset.examples == [
                PromptResponseExample(prompt: "reverse: abc\n", response: "cba", line: 1),
                PromptResponseExample(prompt: "", response: "héllo <|end|>", line: 3),
                PromptResponseExample(prompt: "a", response: "b", line: 5),
            ])
    }

    @Test(
        "each malformed line is reported with its line number and field",
        arguments: [
            ("not json at all", DatasetIssue(line: 2, field: nil, problem: .notJSON)),
            ("{\"prompt\": \"a\", \"response\": ", DatasetIssue(line: 2, field: nil, problem: .notJSON)),
            ("[1, 2]", DatasetIssue(line: 2, field: nil, problem: .notAnObject)),
            ("\"just a string\"", DatasetIssue(line: 2, field: nil, problem: .notAnObject)),
            ("42", DatasetIssue(line: 2, field: nil, problem: .notAnObject)),
            ("{\"response\": \"x\"}", DatasetIssue(line: 2, field: "prompt", problem: .missingField)),
            ("{\"prompt\": \"x\"}", DatasetIssue(line: 2, field: "response", problem: .missingField)),
            (
                "{\"prompt\": 1, \"response\": \"x\"}",
                DatasetIssue(line: 2, field: "prompt", problem: .notAString(found: "a number"))
            ),
            (
                "{\"prompt\": \"p\", \"response\": null}",
                DatasetIssue(line: 2, field: "response", problem: .notAString(found: "null"))
            ),
            (
                "{\"prompt\": \"p\", \"response\": true}",
                DatasetIssue(line: 2, field: "response", problem: .notAString(found: "a boolean"))
            ),
            (
                "{\"prompt\": [\"p\"], \"response\": \"r\"}",
                DatasetIssue(line: 2, field: "prompt", problem: .notAString(found: "an array"))
            ),
            (
                "{\"prompt\": {}, \"response\": \"r\"}",
                DatasetIssue(line: 2, field: "prompt", problem: .notAString(found: "an object"))
            ),
            ("{\"prompt\": \"p\", \"response\": \"\"}", DatasetIssue(line: 2, field: "response", problem: .emptyField)),
            (
                "{\"prompt\": \"p\", \"response\": \"r\", \"weight\": -0.5}",
                DatasetIssue(line: 2, field: "weight", problem: .invalidWeight(found: "-0.5"))
            ),
            (
                "{\"prompt\": \"p\", \"response\": \"r\", \"weight\": \"1\"}",
                DatasetIssue(line: 2, field: "weight", problem: .invalidWeight(found: "a string"))
            ),
        ])
    func malformedLine(line: String, expected: DatasetIssue) {
        let text =
            "{\"prompt\": \"ok\", \"response\": \"fine\"}\n" + line + "\n{\"prompt\": \"a\", \"response\": \"b\"}\n"
        #expect(issues(text) == [expected])
    }

    @Test("every malformed line is reported, in file order, nothing is skipped")
    func allIssuesReported() {
        let text = """
            {"prompt": "a", "response": "b"}
            oops
            {"prompt": "a", "response": "b"}
            {}
            {"prompt": "a", "response": ""}
            """
        #expect(
            issues(text) == [
                DatasetIssue(line: 2, field: nil, problem: .notJSON),
                DatasetIssue(line: 4, field: "prompt", problem: .missingField),
                DatasetIssue(line: 4, field: "response", problem: .missingField),
                DatasetIssue(line: 5, field: "response", problem: .emptyField),
            ])
    }

    @Test("the error message names the file, the lines and the fields")
    func errorMessage() {
        let error = TrainingError.invalidDataset(
            path: "d.jsonl",
            issues: [
                DatasetIssue(line: 3, field: "response", problem: .notAString(found: "a number")),
                DatasetIssue(line: 9, field: nil, problem: .notJSON),
            ])
        #expect(
            error.description == """
                d.jsonl: 2 malformed lines
                  line 3: field "response" is a number, expected a string
                  line 9: not valid JSON
                """)
    }

    @Test("a file without examples is an error", arguments: ["", "\n", "  \n\t\n"])
    func emptyFile(text: String) {
        #expect(throws: TrainingError.emptyDataset(path: "test.jsonl")) { try parse(text) }
    }

    @Test("a missing file is an I/O error naming the path")
    func missingFile() {
        #expect {
            try PromptResponseDataset.read(from: "/nonexistent/data.jsonl")
        } throws: { error in
            guard case .io(let path, _) = error as? TrainingError else { return false }
            return path == "/nonexistent/data.jsonl"
        }
    }

    @Test("weights are read, default to 1, and are written only when they are not 1")
    func weights() throws {
        let text = """
            {"prompt": "a", "response": "b", "weight": 0.25}
            {"prompt": "a", "response": "c"}
            {"prompt": "a", "response": "d", "weight": 0}
            """
        let dataset = try parse(text)
        #expect(dataset.examples.map(\.weight) == [0.25, 1, 0])
        #expect(
            dataset.jsonLines() == """
                {"prompt":"a","response":"b","weight":0.25}
                {"prompt":"a","response":"c"}
                {"prompt":"a","response":"d","weight":0}

                """)
    }

    @Test("written JSONL reads back to the same prompts and responses")
    func roundTrip() throws {
        let examples = [
            PromptResponseExample(prompt: "line\nbreak \"quoted\" / slash", response: "tab\t<|endoftext|> é"),
            PromptResponseExample(prompt: "", response: "x"),
        ]
        let path = NSTemporaryDirectory() + "vr-dataset-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PromptResponseDataset(examples: examples).write(to: path)
        let read = try PromptResponseDataset.read(from: path)
        #expect(read.examples.map(\.prompt) == examples.map(\.prompt))
        #expect(read.examples.map(\.response) == examples.map(\.response))
        #expect(read.examples.map(\.line) == [1, 2])
        #expect(read.examples.map(\.weight) == [1, 1])
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\"prompt\":\"line\\nbreak"))
    }
}
