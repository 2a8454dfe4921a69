// Tests that train and test splits never share a question, by construction.

import Testing

@testable import VRTasks

@Suite("Train/test splits")
struct SplitTests {
    @Test("no question text or canonical question appears in both splits", arguments: TaskFamily.allCases)
    func disjoint(family: TaskFamily) throws {
        let configuration = TaskGeneratorConfiguration(
            family: family, seed: 11, difficulties: family.supportedDifficulties)
        let generator = try configuration.makeGenerator()
        let train = generator.items(count: 4000, split: .train)
        let test = generator.items(count: 2000, split: .test)
        #expect(Set(train.map(\.question)).isDisjoint(with: test.map(\.question)))
        // Stronger: equivalent questions (same key, other names or operand order) never cross either.
        #expect(train.allSatisfy { split(of: $0, family: family) == .train })
        #expect(test.allSatisfy { split(of: $0, family: family) == .test })
    }

    @Test("splits stay disjoint across seeds, and the easiest level has questions in both")
    func acrossSeeds() throws {
        let trainA = try AdditionGenerator(configuration: .init(family: .addition, seed: 1, difficulties: 1...1))
            .items(count: 3000, split: .train)
        let testB = try AdditionGenerator(configuration: .init(family: .addition, seed: 2, difficulties: 1...1))
            .items(count: 3000, split: .test)
        #expect(!testB.isEmpty)
        #expect(Set(trainA.map(\.question)).isDisjoint(with: testB.map(\.question)))
        // Operand order is cosmetic: b+a is in the same split as a+b.
        let swapped = Set(
            trainA.map { item in
                let parts = item.question.dropLast(2).split(separator: "+")
                return "\(parts[1])+\(parts[0])=?"
            })
        #expect(swapped.isDisjoint(with: testB.map(\.question)))
    }

    @Test("the test share of question keys is close to testFraction")
    func fraction() {
        let keys = (0..<20_000).map { "key-\($0)" }
        let share = Double(keys.filter { TaskSplit(canonicalKey: $0, testFraction: 0.2) == .test }.count) / 20_000
        #expect(abs(share - 0.2) < 0.02)
        // Monotone in the fraction: a smaller test set is contained in a larger one.
        #expect(
            keys.allSatisfy {
                TaskSplit(canonicalKey: $0, testFraction: 0.1) == .train
                    || TaskSplit(canonicalKey: $0, testFraction: 0.3) == .test
            })
    }

    /// The split that the documented rule assigns to an item, recomputed from its question.
    private func split(of item: TaskItem, family: TaskFamily) -> TaskSplit {
        TaskSplit(canonicalKey: family.rawValue + ":" + canonicalKey(of: item, family: family), testFraction: 0.2)
    }

    /// The canonical key recomputed from the item's visible content (independently of the generator code).
    private func canonicalKey(of item: TaskItem, family: TaskFamily) -> String {
        switch family {
        case .addition, .multiplication:
            let symbol: Character = family == .addition ? "+" : "*"
            let operands = item.question.dropLast(2).split(separator: symbol).compactMap { Int($0) }.sorted()
            return "\(operands[0])\(symbol)\(operands[1])"
        case .countdown:
            guard case .expression(let numbers, let target) = item.verifier else { return "" }
            return numbers.sorted().map(String.init).joined(separator: ",") + "->\(target)"
        case .wordProblem:
            // Start count from the first sentence, operations from the compact thought.
            let start = item.question.split(separator: " ")[2]
            let operations = item.referenceThought.split(separator: ";").map { step -> String in
                let expression = step.split(separator: "=")[0]
                let symbolIndex = expression.firstIndex { "+-*/".contains($0) }!
                return String(expression[symbolIndex...])
            }
            return ([String(start)] + operations).joined(separator: ";")
        }
    }
}
