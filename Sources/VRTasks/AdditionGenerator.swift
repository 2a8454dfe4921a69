// Multi-digit addition with column-wise reference thoughts.

/// Generates `a+b` questions; difficulty d = digits of each operand.
///
/// - Operands: uniform over `0...9` for d = 1, over the d-digit numbers otherwise.
/// - Question: `347+285=?`; solution `Answer: 632`; verifier `.numeric`.
/// - Thought, right to left by column, with carries: compact `7+5=12 c1;4+8+1=13 c1;3+2+1=6;632`,
///   verbose `Ones: 7+5=12, write 2, carry 1. Tens: ... So 347+285=632.`
/// - Canonical key: the operands in ascending order (`a+b` and `b+a` are one question).
public struct AdditionGenerator: TaskGenerator {
    /// The settings.
    public let configuration: TaskGeneratorConfiguration

    /// Creates a generator.
    /// - Parameter configuration: settings with family `.addition`.
    /// - Throws: `TaskError.invalidConfiguration` when the settings are invalid or a split is empty.
    public init(configuration: TaskGeneratorConfiguration) throws(TaskError) {
        let style = configuration.thoughtStyle
        try TaskDrawing.check(configuration, family: .addition) {
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

    /// A candidate question of `difficulty` digits.
    static func draft(difficulty: Int, style: ThoughtStyle, random: inout TaskRandom) -> TaskDraft? {
        let range = operandRange(digits: difficulty)
        let a = random.int(in: range)
        let b = random.int(in: range)
        return TaskDraft(
            question: "\(a)+\(b)=?", thought: thought(a, b, style: style), working: thought(a, b, style: .compact),
            finalAnswer: String(a + b),
            verifier: .numeric, canonicalKey: "\(min(a, b))+\(max(a, b))")
    }

    /// The non-negative numbers with `digits` digits (`0...9` for one digit).
    static func operandRange(digits: Int) -> ClosedRange<Int> {
        var upper = 1
        for _ in 0..<digits { upper *= 10 }
        return digits == 1 ? 0...9 : (upper / 10)...(upper - 1)
    }

    /// The column-wise working of `a + b`, right to left.
    static func thought(_ a: Int, _ b: Int, style: ThoughtStyle) -> String {
        let digitsA = Array(String(a).reversed()).compactMap(\.wholeNumberValue)
        let digitsB = Array(String(b).reversed()).compactMap(\.wholeNumberValue)
        var steps: [String] = []
        var carry = 0
        for column in 0..<max(digitsA.count, digitsB.count) {
            let x = column < digitsA.count ? digitsA[column] : 0
            let y = column < digitsB.count ? digitsB[column] : 0
            let sum = x + y + carry
            let terms = "\(x)+\(y)" + (carry > 0 ? "+\(carry)" : "")
            carry = sum / 10
            switch style {
            case .compact:
                steps.append("\(terms)=\(sum)" + (carry > 0 ? " c1" : ""))
            case .verbose:
                let place = Self.placeNames[min(column, Self.placeNames.count - 1)]
                steps.append("\(place): \(terms)=\(sum), write \(sum % 10)" + (carry > 0 ? ", carry 1." : "."))
            }
        }
        switch style {
        case .compact:
            return (steps + [String(a + b)]).joined(separator: ";")
        case .verbose:
            let lastCarry = carry > 0 ? ["Write the carry 1."] : []
            return (steps + lastCarry + ["So \(a)+\(b)=\(a + b)."]).joined(separator: " ")
        }
    }

    /// Column names for verbose thoughts, ones first.
    private static let placeNames = [
        "Ones", "Tens", "Hundreds", "Thousands", "Ten-thousands", "Hundred-thousands", "Millions", "Ten-millions",
        "Hundred-millions",
    ]
}
