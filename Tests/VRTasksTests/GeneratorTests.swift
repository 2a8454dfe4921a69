// Tests for the task generators: determinism, difficulty ranges, reference answers, thought formats, configuration.

import Foundation
import Testing
import VRText

@testable import VRTasks

@Suite("Task generators")
struct GeneratorTests {
    static let families = TaskFamily.allCases

    func generator(
        _ family: TaskFamily, seed: UInt64 = 7, difficulties: ClosedRange<Int>? = nil,
        style: ThoughtStyle = .compact
    ) throws -> any TaskGenerator {
        try TaskGeneratorConfiguration(
            family: family, seed: seed, difficulties: difficulties ?? family.supportedDifficulties, thoughtStyle: style
        ).makeGenerator()
    }

    @Test("same seed gives the same items; another seed gives other items", arguments: families)
    func determinism(family: TaskFamily) throws {
        let first = try generator(family).items(count: 200, split: .train)
        let again = try generator(family).items(count: 200, split: .train)
        let other = try generator(family, seed: 8).items(count: 200, split: .train)
        #expect(first == again)
        #expect(first != other)
        #expect(Set(first.map(\.question)) != Set(other.map(\.question)))
        // Index access is random access: item 150 alone equals item 150 of the list.
        #expect(try generator(family).item(index: 150, split: .train) == first[150])
    }

    @Test("difficulties stay in range and easy and hard items coexist", arguments: families)
    func difficulties(family: TaskFamily) throws {
        let range = family.supportedDifficulties
        let items = try generator(family).items(count: 2000, split: .train)
        #expect(items.allSatisfy { range.contains($0.difficulty) })
        #expect(Set(items.map(\.difficulty)) == Set(range))
        let narrow = try generator(family, difficulties: 2...2).items(count: 200, split: .test)
        #expect(narrow.allSatisfy { $0.difficulty == 2 })
    }

    @Test("every reference answer verifies, and is the answer stated in the reference solution", arguments: families)
    func referencesVerify(family: TaskFamily) throws {
        for style in ThoughtStyle.allCases {
            for split in TaskSplit.allCases {
                for item in try generator(family, style: style).items(count: 2500, split: split) {
                    #expect(item.isCorrect(item.finalAnswer), "\(item.id): \(item.question) -> \(item.finalAnswer)")
                    #expect(ReasoningOutput.finalAnswer(inSolution: item.referenceSolution) == item.finalAnswer)
                    #expect(ReasoningOutput.finalAnswer(inSolution: item.workedSolution ?? "") == item.finalAnswer)
                    #expect(item.family == family && !item.referenceThought.isEmpty)
                }
            }
        }
    }

    @Test("numeric answers are the true results of the question")
    func numericAnswersAreTrue() throws {
        for item in try generator(.addition).items(count: 500, split: .train) {
            let operands = item.question.dropLast(2).split(separator: "+").compactMap { Int($0) }
            #expect(String(operands[0] + operands[1]) == item.finalAnswer)
        }
        for item in try generator(.multiplication).items(count: 500, split: .train) {
            let factors = item.question.dropLast(2).split(separator: "*").compactMap { Int($0) }
            #expect(String(factors[0] * factors[1]) == item.finalAnswer)
        }
        for item in try generator(.wordProblem).items(count: 500, split: .train) {
            // The compact thought's last computation ends in the answer.
            #expect(item.referenceThought.hasSuffix("=" + item.finalAnswer))
            #expect(item.question.split(separator: ".").count == item.difficulty + 2)
        }
    }

    @Test(
        "the worked solution, q's hint, is the compact working and the answer in either thought style",
        arguments: families)
    func workedSolutions(family: TaskFamily) throws {
        let compact = try generator(family, style: .compact).items(count: 50, split: .train)
        let verbose = try generator(family, style: .verbose).items(count: 50, split: .train)
        for (short, long) in zip(compact, verbose) {
            #expect(short.question == long.question)
            let expected = short.referenceThought + " Answer: " + short.finalAnswer
            #expect(short.workedSolution == expected && long.workedSolution == expected)
            // The hint: the worked solution, or the answer only.
            #expect(long.hint(.workedSolution) == expected)
            #expect(long.hint(.answer) == "Answer: " + long.finalAnswer)
            let renderer = TemplateRenderer(configuration: TemplateConfiguration(hint: .answer))
            #expect(
                TaskPrompts(item: long, renderer: renderer, text: .bytes).posteriorPrompt
                    == ModelText.bytes.encode(
                        renderer.posteriorPrompt(question: long.question, solution: long.hint(.answer))))
            #expect(
                long.posteriorExample(renderer: TemplateRenderer()).prompt.contains(expected)
                    && !long.posteriorExample(renderer: renderer).prompt.contains(expected))
        }
        // Imported items without a worked solution are hinted with their reference solution.
        let imported = TaskItem(
            id: "i", family: nil, question: "1+1?", referenceThought: "", referenceSolution: "So it is 2. Answer: 2",
            finalAnswer: "2", difficulty: 0, verifier: .numeric)
        #expect(imported.hint(.workedSolution) == "So it is 2. Answer: 2" && imported.hint(.answer) == "Answer: 2")
    }

    @Test("addition thoughts: column sums right to left with carries")
    func additionThought() {
        #expect(AdditionGenerator.thought(347, 285, style: .compact) == "7+5=12 c1;4+8+1=13 c1;3+2+1=6;632")
        #expect(AdditionGenerator.thought(95, 7, style: .compact) == "5+7=12 c1;9+0+1=10 c1;102")
        #expect(AdditionGenerator.thought(3, 4, style: .compact) == "3+4=7;7")
        #expect(
            AdditionGenerator.thought(95, 17, style: .verbose)
                == "Ones: 5+7=12, write 2, carry 1. Tens: 9+1+1=11, write 1, carry 1. Write the carry 1. So 95+17=112.")
    }

    @Test("multiplication thoughts: partial products then their sum")
    func multiplicationThought() {
        #expect(MultiplicationGenerator.thought(347, 28, style: .compact) == "347*8=2776;347*20=6940;2776+6940=9716")
        #expect(MultiplicationGenerator.thought(7, 8, style: .compact) == "7*8=56")
        #expect(MultiplicationGenerator.thought(12, 305, style: .compact) == "12*5=60;12*300=3600;60+3600=3660")
        #expect(
            MultiplicationGenerator.thought(347, 28, style: .verbose)
                == "Split 28 into 20+8. 347*8=2776. 347*20=6940. Sum: 2776+6940=9716. So 347*28=9716.")
    }

    @Test("countdown and word-problem items have the documented shapes")
    func shapes() throws {
        for item in try generator(.countdown).items(count: 300, split: .train) {
            guard case .expression(let numbers, let target) = item.verifier else {
                Issue.record("countdown item without an expression verifier")
                continue
            }
            #expect(numbers.count == item.difficulty + 1)
            #expect(
                item.question == "Make \(target) with \(numbers.map(String.init).joined(separator: " ")), each once.")
            #expect(item.referenceThought.split(separator: ";").count == item.difficulty)
            #expect(item.referenceThought.hasSuffix("=\(target)"))
        }
        let verbose = try generator(.countdown, style: .verbose).item(index: 0, split: .train)
        #expect(verbose.referenceThought.hasPrefix("Need ") && verbose.referenceThought.hasSuffix(", done."))
        let story = try generator(.wordProblem, style: .verbose).item(index: 0, split: .train)
        #expect(story.referenceThought.hasPrefix("Start with ") && story.question.hasSuffix("How many now?"))
    }

    @Test("low-difficulty items are short enough for a 128-token context")
    func shortItems() throws {
        let renderer = TemplateRenderer()
        let tokenizer = ByteTokenizer()
        for family in Self.families {
            for item in try generator(family, difficulties: 1...2).items(count: 200, split: .train) {
                let text =
                    renderer.reasoningPrompt(question: item.question)
                    + renderer.reasoningTarget(thought: item.referenceThought, solution: item.referenceSolution)
                #expect(tokenizer.encode(text).count <= 128, "\(text)")
            }
        }
    }

    @Test("configuration: validation, mismatched family, defaults and unknown keys")
    func configuration() throws {
        #expect(throws: TaskError.self) {
            try TaskGeneratorConfiguration(family: .addition, difficulties: 0...3).validate()
        }
        #expect(throws: TaskError.self) {
            try TaskGeneratorConfiguration(family: .countdown, difficulties: 1...9).validate()
        }
        #expect(throws: TaskError.self) {
            try TaskGeneratorConfiguration(family: .addition, testFraction: 1).validate()
        }
        #expect(throws: TaskError.self) { try AdditionGenerator(configuration: .init(family: .countdown)) }
        // A split that holds no question is reported at creation, not discovered later.
        #expect(throws: TaskError.self) {
            try TaskGeneratorConfiguration(family: .addition, difficulties: 1...1, testFraction: 1e-6).makeGenerator()
        }
        let decoder = JSONDecoder()
        let decoded = try decoder.decode(TaskGeneratorConfiguration.self, from: Data(#"{"family": "countdown"}"#.utf8))
        #expect(decoded == TaskGeneratorConfiguration(family: .countdown))
        #expect(throws: DecodingError.self) {
            try decoder.decode(TaskGeneratorConfiguration.self, from: Data(#"{"family": "addition", "sed": 1}"#.utf8))
        }
        let custom = TaskGeneratorConfiguration(
            family: .wordProblem, seed: 3, difficulties: 2...4, thoughtStyle: .verbose)
        #expect(try decoder.decode(TaskGeneratorConfiguration.self, from: JSONEncoder().encode(custom)) == custom)
    }

    @Test("a mixed dataset interleaves families and counts difficulties")
    func mixedDataset() throws {
        let configurations = Self.families.map { TaskGeneratorConfiguration(family: $0, seed: 1) }
        let dataset = try TaskDataset.generated(configurations, countPerConfiguration: 10, split: .train)
        #expect(dataset.items.count == 40)
        #expect(dataset.items.prefix(4).map(\.family) == Self.families)
        #expect(dataset.difficultyCounts.values.reduce(0, +) == 40)
        #expect(Set(dataset.items.map(\.id)).count == 40)
    }
}
