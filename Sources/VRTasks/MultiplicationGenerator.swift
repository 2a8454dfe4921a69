// Multi-digit multiplication with partial-product reference thoughts.

/// Generates `a*b` questions; difficulty d = a d-digit factor times a max(1, d-1)-digit factor.
///
/// - Factors: one-digit factors are `2...9` (times tables); longer ones uniform over their digits.
/// - Question: `347*28=?`; solution `Answer: 9716`; verifier `.numeric`.
/// - Thought: one partial product per non-zero digit of the second factor, right to left, then
///   their sum: compact `347*8=2776;347*20=6940;2776+6940=9716`, verbose
///   `Split 28 into 20+8. 347*8=2776. 347*20=6940. Sum: 2776+6940=9716. So 347*28=9716.`
/// - Canonical key: the factors in ascending order.
public struct MultiplicationGenerator: TaskGenerator {
    /// The settings.
    public let configuration: TaskGeneratorConfiguration

    /// Creates a generator.
    /// - Parameter configuration: settings with family `.multiplication`.
    /// - Throws: `TaskError.invalidConfiguration` when the settings are invalid or a split is empty.
    public init(configuration: TaskGeneratorConfiguration) throws(TaskError) {
        let style = configuration.thoughtStyle
        try TaskDrawing.check(configuration, family: .multiplication) {
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

    /// A candidate question of difficulty `difficulty`.
    static func draft(difficulty: Int, style: ThoughtStyle, random: inout TaskRandom) -> TaskDraft? {
        let a = random.int(in: factorRange(digits: difficulty))
        let b = random.int(in: factorRange(digits: max(1, difficulty - 1)))
        return TaskDraft(
            question: "\(a)*\(b)=?", thought: thought(a, b, style: style), working: thought(a, b, style: .compact),
            finalAnswer: String(a * b),
            verifier: .numeric, canonicalKey: "\(min(a, b))*\(max(a, b))")
    }

    /// `2...9` for one digit, else the numbers with `digits` digits.
    static func factorRange(digits: Int) -> ClosedRange<Int> {
        digits == 1 ? 2...9 : AdditionGenerator.operandRange(digits: digits)
    }

    /// The partial products of `a * b` by the non-zero digits of `b`, right to left, and their sum.
    static func thought(_ a: Int, _ b: Int, style: ThoughtStyle) -> String {
        var parts: [Int] = []  // b's non-zero digits times their place values, ones first
        var place = 1
        var rest = b
        while rest > 0 {
            if rest % 10 != 0 { parts.append(rest % 10 * place) }
            rest /= 10
            place *= 10
        }
        if parts.isEmpty { parts = [0] }
        let products = parts.map { "\(a)*\($0)=\(a * $0)" }
        let sum = parts.count > 1 ? [parts.map { String(a * $0) }.joined(separator: "+") + "=\(a * b)"] : []
        switch style {
        case .compact:
            return (products + sum).joined(separator: ";")
        case .verbose:
            let split =
                parts.count > 1 ? ["Split \(b) into \(parts.reversed().map(String.init).joined(separator: "+"))."] : []
            let total = sum.map { "Sum: \($0)." }
            return (split + products.map { $0 + "." } + total + ["So \(a)*\(b)=\(a * b)."]).joined(separator: " ")
        }
    }
}
