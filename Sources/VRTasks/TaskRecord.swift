// The JSONL line layout of a task item, as written by export and read back by import.

/// One item as a JSON object: the exchange format of `TaskDataset.jsonLines()` and `TaskDataset.parse`.
///
/// Keys: `id`, `family` (absent when nil), `question`, `thought`, `solution`, `worked_solution` (absent when
/// nil), `answer` (the final answer), `difficulty`, `verifier` (a `VerifierKind` name), for expression items `numbers` and
/// `target`, and for approximate items `tolerance`.
struct TaskRecord: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, family, question, thought, solution, answer, difficulty, verifier, numbers, target, tolerance, source
        case workedSolution = "worked_solution"
    }

    let id: String
    let family: TaskFamily?
    let question: String
    let thought: String
    let solution: String
    let workedSolution: String?
    let answer: String
    let difficulty: Int
    let verifier: VerifierKind
    let numbers: [Int]?
    let target: Int?
    let tolerance: String?
    let source: String?

    init(_ item: TaskItem) {
        id = item.id
        family = item.family
        question = item.question
        thought = item.referenceThought
        solution = item.referenceSolution
        workedSolution = item.workedSolution
        source = item.source
        answer = item.finalAnswer
        difficulty = item.difficulty
        verifier = item.verifier.kind
        if case .expression(let numbers, let target) = item.verifier {
            self.numbers = numbers
            self.target = target
        } else {
            numbers = nil
            target = nil
        }
        if case .approximate(let tolerance) = item.verifier {
            self.tolerance = tolerance
        } else {
            tolerance = nil
        }
    }
}
