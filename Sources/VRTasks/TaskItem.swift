// One reasoning question with its reference thought, reference solution, final answer and verifier.

import VRText

/// A question x with its reference thought, reference solution y' (holding the final answer) and checker.
///
/// Generated items come from a `TaskGenerator`; imported ones from JSONL (`TaskDataset.parse`).
/// `verifier.accepts(finalAnswer, reference: finalAnswer)` holds for every item.
public struct TaskItem: Codable, Sendable, Equatable, Hashable {
    /// A stable identifier, such as `addition/train/12` or `line-7`.
    public var id: String
    /// The generator family, or nil for imported items that name none.
    public var family: TaskFamily?
    /// The question x, the user turn of the reasoning prompt.
    public var question: String
    /// The reference thought (may be empty for imported items without one).
    public var referenceThought: String
    /// The reference solution pi is taught to write after its thought; states the final answer.
    public var referenceSolution: String
    /// A worked solution, the posterior's hint y' (the paper: q is prompted with the worked solution, not only
    /// the final answer): concise working that ends by stating the final answer; nil when the task has none.
    public var workedSolution: String?
    /// The reference final answer, as `ReasoningOutput.finalAnswer(inSolution:)` extracts it.
    public var finalAnswer: String
    /// The difficulty: family-specific, a small positive integer; 0 when unknown.
    public var difficulty: Int
    /// How answers to this item are checked.
    public var verifier: Verifier
    /// Where an imported item comes from, `SOURCE/FAMILY` (for example `reasoning-gym/leg_counting`); nil for
    /// generated items and files that do not say.
    public var source: String?

    /// Creates an item.
    /// - Parameters:
    ///   - id: a stable identifier.
    ///   - family: the generator family, if any.
    ///   - question: the question text.
    ///   - referenceThought: the reference thought.
    ///   - referenceSolution: the reference solution.
    ///   - finalAnswer: the final answer in the solution.
    ///   - difficulty: the difficulty, 0 when unknown.
    ///   - verifier: the answer check.
    ///   - workedSolution: a worked solution, or nil.
    ///   - source: where an imported item comes from, or nil.
    public init(
        id: String, family: TaskFamily?, question: String, referenceThought: String, referenceSolution: String,
        finalAnswer: String, difficulty: Int, verifier: Verifier, workedSolution: String? = nil, source: String? = nil
    ) {
        self.id = id
        self.family = family
        self.question = question
        self.referenceThought = referenceThought
        self.referenceSolution = referenceSolution
        self.finalAnswer = finalAnswer
        self.difficulty = difficulty
        self.verifier = verifier
        self.workedSolution = workedSolution
        self.source = source
    }

    /// The family reports group the item under: the generator family, else the last part of `source`, else
    /// `other`.
    public var familyName: String {
        family?.rawValue ?? source?.split(separator: "/").last.map(String.init) ?? "other"
    }

    /// Whether `answer` is a correct final answer to this question.
    /// - Parameter answer: a final answer, e.g. `ReasoningOutput.parse(text).finalAnswer`; nil is wrong.
    /// - Returns: the verifier's decision against `finalAnswer`.
    public func isCorrect(_ answer: String?) -> Bool {
        verifier.accepts(answer, reference: finalAnswer)
    }

    /// The hint y' the posterior is prompted with.
    /// - Parameter kind: the worked solution (the reference solution when the task has none), or the answer only.
    /// - Returns: the hint's text, which states the final answer.
    public func hint(_ kind: TemplateConfiguration.Hint) -> String {
        switch kind {
        case .workedSolution: workedSolution ?? referenceSolution
        case .answer: Self.solution(stating: finalAnswer)
        }
    }

    /// The worked solution generated items use: their compact working, then the solution stating the answer.
    /// - Parameters:
    ///   - working: the compact working.
    ///   - finalAnswer: the answer.
    /// - Returns: `<working> Answer: <final answer>`.
    public static func workedSolution(working: String, stating finalAnswer: String) -> String {
        working + " " + solution(stating: finalAnswer)
    }

    /// The solution text generated items use: `Answer: <final answer>`.
    /// - Parameter finalAnswer: the answer.
    /// - Returns: the solution, from which `ReasoningOutput.finalAnswer(inSolution:)` recovers the answer.
    public static func solution(stating finalAnswer: String) -> String {
        "Answer: " + finalAnswer
    }
}
