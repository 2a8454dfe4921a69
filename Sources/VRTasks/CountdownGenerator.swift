// Countdown puzzles: reach a target from given numbers with + - * /, each number used exactly once.

/// Generates countdown puzzles; difficulty d = d + 1 numbers, combined by d operations.
///
/// - Puzzle rule (checked by `Verifier.expression`): use every given number exactly once, with
///   binary `+ - * /` and parentheses, to make the target exactly. Any such expression is correct.
/// - Construction: d + 1 numbers from `1...12`; d times, two numbers of the pool are replaced by
///   their sum, positive difference, product or exact quotient (by a divisor above 1), each at
///   most `maximumTarget`, so every intermediate of the reference is a positive integer and the target
///   is the last result.
/// - Question: `Make 16 with 3 5 2, each once.`; solution `Answer: (3+5)*2`.
/// - Thought, the reference steps: compact `3+5=8;8*2=16`, verbose
///   `Need 16 from 3,5,2. 3+5=8, left 8,2. 8*2=16, done.`
/// - Canonical key: the numbers in ascending order and the target.
public struct CountdownGenerator: TaskGenerator {
    /// The settings.
    public let configuration: TaskGeneratorConfiguration

    /// The largest given number.
    static let maximumNumber = 12
    /// The largest value a construction step may form, and so the largest target.
    static let maximumTarget = 999

    /// Creates a generator.
    /// - Parameter configuration: settings with family `.countdown`.
    /// - Throws: `TaskError.invalidConfiguration` when the settings are invalid or a split is empty.
    public init(configuration: TaskGeneratorConfiguration) throws(TaskError) {
        let style = configuration.thoughtStyle
        try TaskDrawing.check(configuration, family: .countdown) {
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

    /// A candidate puzzle with `difficulty` operations.
    static func draft(difficulty: Int, style: ThoughtStyle, random: inout TaskRandom) -> TaskDraft? {
        let numbers = (0...difficulty).map { _ in random.int(in: 1...maximumNumber) }
        var pool = numbers.map(CountdownExpression.number)
        var steps: [(text: String, pool: [Int])] = []
        while pool.count > 1 {
            // Two distinct positions, in random order.
            let first = random.int(in: 0...(pool.count - 1))
            var second = random.int(in: 0...(pool.count - 2))
            if second >= first { second += 1 }
            let (left, right) = (pool[first], pool[second])
            guard let combined = combine(left, right, random: &random) else { return nil }
            pool.remove(at: max(first, second))
            pool.remove(at: min(first, second))
            pool.append(combined)
            guard case .operation(let symbol, _, _, let value) = combined else { return nil }
            steps.append(("\(left.value)\(symbol)\(right.value)=\(value)", pool.map(\.value)))
        }
        guard let solution = pool.first else { return nil }
        let target = solution.value
        let listed = numbers.map(String.init)
        let working = steps.map(\.text).joined(separator: ";")
        let thought: String
        switch style {
        case .compact:
            thought = working
        case .verbose:
            let moves = steps.map { step in
                step.pool.count > 1
                    ? "\(step.text), left \(step.pool.map(String.init).joined(separator: ","))." : "\(step.text), done."
            }
            thought = (["Need \(target) from \(listed.joined(separator: ","))."] + moves).joined(separator: " ")
        }
        return TaskDraft(
            question: "Make \(target) with \(listed.joined(separator: " ")), each once.", thought: thought,
            working: working, finalAnswer: solution.text, verifier: .expression(numbers: numbers, target: target),
            canonicalKey: numbers.sorted().map(String.init).joined(separator: ",") + "->\(target)")
    }

    /// A random valid operation on two subtrees, or nil when none keeps the value within `maximumTarget`.
    private static func combine(
        _ left: CountdownExpression, _ right: CountdownExpression, random: inout TaskRandom
    ) -> CountdownExpression? {
        let (a, b) = (left.value, right.value)
        var options: [(Character, Int)] = []
        if a + b <= maximumTarget { options.append(("+", a + b)) }
        if a > b { options.append(("-", a - b)) }
        if a * b <= maximumTarget { options.append(("*", a * b)) }
        if b > 1 && a % b == 0 { options.append(("/", a / b)) }
        guard !options.isEmpty else { return nil }
        let (symbol, value) = random.element(of: options)
        return .operation(symbol, left, right, value: value)
    }
}
