// Templated multi-step word problems (GSM8K-like): a count of things changed step by step.

/// Generates short word problems; difficulty = number of steps after the starting count.
///
/// - Story: a person starts with 2...20 things; each step buys 1...9 more, gives away 1...9 (leaving
///   at least one), doubles or triples (up to `maximumCount`), or keeps a half or a third (when
///   it divides exactly), chosen uniformly among the valid ones.
/// - Question: `Ann has 5 pens. She buys 3 more. She keeps half. How many now?`; solution
///   `Answer: 4`; verifier `.numeric`.
/// - Thought, the step computations: compact `5+3=8;8/2=4`, verbose
///   `Start with 5 pens. Buys 3: 5+3=8. Keeps half: 8/2=4. Now 4 pens.`
/// - Canonical key: the start and the operations (`5;+3;/2`); names and things are cosmetic.
public struct WordProblemGenerator: TaskGenerator {
    /// The settings.
    public let configuration: TaskGeneratorConfiguration

    /// The largest count a step may reach.
    static let maximumCount = 200

    /// Creates a generator.
    /// - Parameter configuration: settings with family `.wordProblem`.
    /// - Throws: `TaskError.invalidConfiguration` when the settings are invalid or a split is empty.
    public init(configuration: TaskGeneratorConfiguration) throws(TaskError) {
        let style = configuration.thoughtStyle
        try TaskDrawing.check(configuration, family: .wordProblem) {
            Self.draft(difficulty: $0, style: style, random: &$1)
        }
        self.configuration = configuration
    }

    /// The item at `index` of `split`.
    /// - Parameters:
    ///   - index: any non-negative position.
    ///   - split: the split.
    /// - Returns: the item; the same for the same configuration, split and index.
    public func item(index: Int, split: TaskSplit) -> TaskItem {
        let style = configuration.thoughtStyle
        return TaskDrawing.requireItem(configuration: configuration, index: index, split: split) {
            Self.draft(difficulty: $0, style: style, random: &$1)
        }
    }

    /// One step of a story: its sentence, its verbose label and its arithmetic.
    private struct Step {
        let sentence: String
        let label: String
        let symbol: Character
        let operand: Int
    }

    /// A candidate problem with `difficulty` steps.
    static func draft(difficulty: Int, style: ThoughtStyle, random: inout TaskRandom) -> TaskDraft? {
        let (name, pronoun) = random.element(of: people)
        let thing = random.element(of: things)
        let start = random.int(in: 2...20)
        var count = start
        var sentences = ["\(name) has \(start) \(thing)."]
        var computations: [String] = []
        var verbose = ["Start with \(start) \(thing)."]
        var key = [String(start)]
        for _ in 0..<difficulty {
            let step = randomStep(count: count, pronoun: pronoun, random: &random)
            let next: Int
            switch step.symbol {
            case "+": next = count + step.operand
            case "-": next = count - step.operand
            case "*": next = count * step.operand
            default: next = count / step.operand
            }
            let computation = "\(count)\(step.symbol)\(step.operand)=\(next)"
            sentences.append(step.sentence)
            computations.append(computation)
            verbose.append("\(step.label): \(computation).")
            key.append("\(step.symbol)\(step.operand)")
            count = next
        }
        sentences.append("How many now?")
        verbose.append("Now \(count) \(thing).")
        return TaskDraft(
            question: sentences.joined(separator: " "),
            thought: style == .compact ? computations.joined(separator: ";") : verbose.joined(separator: " "),
            working: computations.joined(separator: ";"), finalAnswer: String(count), verifier: .numeric,
            canonicalKey: key.joined(separator: ";"))
    }

    /// A step chosen uniformly among those valid for `count`.
    private static func randomStep(count: Int, pronoun: String, random: inout TaskRandom) -> Step {
        var options: [Step] = []
        let more = random.int(in: 1...9)
        options.append(
            Step(sentence: "\(pronoun) buys \(more) more.", label: "Buys \(more)", symbol: "+", operand: more))
        if count > 1 {
            let fewer = random.int(in: 1...min(9, count - 1))
            options.append(
                Step(sentence: "\(pronoun) gives away \(fewer).", label: "Gives \(fewer)", symbol: "-", operand: fewer))
        }
        if count * 2 <= maximumCount {
            options.append(Step(sentence: "\(pronoun) doubles them.", label: "Doubles", symbol: "*", operand: 2))
        }
        if count * 3 <= maximumCount {
            options.append(Step(sentence: "\(pronoun) triples them.", label: "Triples", symbol: "*", operand: 3))
        }
        if count % 2 == 0 {
            options.append(Step(sentence: "\(pronoun) keeps half.", label: "Keeps half", symbol: "/", operand: 2))
        }
        if count % 3 == 0 {
            options.append(Step(sentence: "\(pronoun) keeps a third.", label: "Keeps a third", symbol: "/", operand: 3))
        }
        return random.element(of: options)
    }

    /// Names with their pronouns.
    private static let people = [
        ("Ann", "She"), ("Bob", "He"), ("Cal", "He"), ("Dee", "She"), ("Eve", "She"), ("Max", "He"), ("Liz", "She"),
        ("Tom", "He"),
    ]

    /// Plural nouns of countable things.
    private static let things = ["pens", "cards", "eggs", "coins", "apples", "books", "shells", "stamps"]
}
