// A deterministic, learnable prompt/response task for demos and tests: reverse, sort or add.

import VRCore

/// Generates small algorithmic prompt/response pairs that a tiny transformer learns in a few hundred steps.
///
/// Tasks (the prompt ends with a newline so the response always starts on a fresh line):
/// - `reverse`: `"reverse: cabdh\n"` -> `"hdbac"` (always 5 letters from `a...h`);
/// - `sort`: `"sort: 3 1 2\n"` -> `"1 2 3"` (3...5 digits);
/// - `add`: `"add: 8+7\n"` -> `"15"` (operands 0...9).
///
/// Measured with the default `SFTConfiguration` (2 layers, width 64, 300 steps of 16): `reverse` alone
/// reaches a loss near 0.01 and exact greedy answers; `add` alone does too; `sort` and mixtures of tasks
/// need a few times more steps. The fixed length is what makes `reverse` fast: every answer letter sits
/// at a fixed offset from the prompt's letters. The same seed gives the same examples on every platform.
public struct ToyCorpus: Sendable, Equatable {
    /// One kind of toy problem.
    public enum Task: String, Sendable, Equatable, CaseIterable, Codable {
        /// Reverse a short string of letters.
        case reverse
        /// Sort a few digits ascending.
        case sort
        /// Add two small numbers.
        case add
    }

    /// The tasks examples are drawn from, uniformly.
    public var tasks: [Task]

    /// Letters used by `reverse`.
    static let letters = Array("abcdefgh")
    /// Length of every `reverse` problem.
    static let reverseLength = 5

    /// Creates a generator.
    /// - Precondition: `tasks` is not empty.
    /// - Parameter tasks: the tasks to draw from; default `reverse` only, the fastest to learn.
    public init(tasks: [Task] = [.reverse]) {
        precondition(!tasks.isEmpty, "a toy corpus needs at least one task")
        self.tasks = tasks
    }

    /// Generates examples.
    /// - Parameters:
    ///   - count: number of examples.
    ///   - seed: the seed; equal seeds give equal examples.
    /// - Returns: a dataset of `count` examples.
    public func dataset(count: Int, seed: UInt64) -> PromptResponseDataset {
        var generator = SeededGenerator(seed: seed)
        let examples = (0..<count).map { _ in example(using: &generator) }
        return PromptResponseDataset(examples: examples)
    }

    /// One random example.
    /// - Parameter generator: the source of randomness.
    /// - Returns: a prompt and its correct response.
    public func example(using generator: inout SeededGenerator) -> PromptResponseExample {
        let task = tasks[draw(tasks.count, &generator)]
        let problem: String
        switch task {
        case .reverse:
            problem = String(
                (0..<Self.reverseLength).map { _ in Self.letters[draw(Self.letters.count, &generator)] })
        case .sort:
            let length = 3 + draw(3, &generator)
            problem = (0..<length).map { _ in String(draw(10, &generator)) }.joined(separator: " ")
        case .add:
            problem = "\(draw(10, &generator))+\(draw(10, &generator))"
        }
        let prompt = "\(task.rawValue): \(problem)\n"
        return PromptResponseExample(prompt: prompt, response: Self.response(to: prompt) ?? "")
    }

    /// The correct response to a toy prompt, for checking a model's output.
    /// - Parameter prompt: a prompt in one of the task formats, e.g. `"reverse: abc\n"`.
    /// - Returns: the expected response, or nil when the prompt is not a toy problem.
    public static func response(to prompt: String) -> String? {
        guard prompt.hasSuffix("\n"), let colon = prompt.firstIndex(of: ":") else { return nil }
        guard let task = Task(rawValue: String(prompt[..<colon])) else { return nil }
        let start = prompt.index(colon, offsetBy: 2, limitedBy: prompt.endIndex) ?? prompt.endIndex
        let problem = prompt[start...].dropLast()
        switch task {
        case .reverse:
            return String(problem.reversed())
        case .sort:
            let digits = problem.split(separator: " ").compactMap { Int($0) }
            return digits.sorted().map(String.init).joined(separator: " ")
        case .add:
            let operands = problem.split(separator: "+").compactMap { Int($0) }
            guard operands.count == 2 else { return nil }
            return String(operands[0] + operands[1])
        }
    }

    /// A uniform draw from `0..<bound`.
    private func draw(_ bound: Int, _ generator: inout SeededGenerator) -> Int {
        Int(generator.next() % UInt64(bound))
    }
}
