// The token sequences a task item becomes under the templates: what pi and q are prompted with, and the answer.

import VRText

/// One question as the models see it (PAPER.md, Templates).
///
/// Legend: pi's prompt ends with `<|begin_of_thought|>`; q's prompt carries the reference solution as the
/// hint y' and also ends where the thought starts; the answer pi is trained on after a trace is
/// `<|end_of_thought|><|begin_of_solution|> solution <|end_of_solution|>`.
public struct TaskPrompts: Sendable, Equatable {
    /// pi's reasoning prompt: system instructions, the question, and the opened thought.
    public let reasoningPrompt: [Int32]
    /// q's prompt: the question with the reference solution as the hint, and the opened thought.
    public let posteriorPrompt: [Int32]
    /// The reference answer that follows a trace: end of thought, then the solution between its markers.
    public let answer: [Int32]
    /// The tokens that open the solution after a trace: end of thought, begin of solution.
    public let solutionOpening: [Int32]
    /// The marker q ends its trace with (end of thought, or end of explanation for posterior template A).
    public let posteriorClosing: [Int32]

    /// Renders and tokenizes one item.
    /// - Parameters:
    ///   - item: the question with its reference solution.
    ///   - renderer: the templates.
    ///   - text: the model's tokenizer.
    public init(item: TaskItem, renderer: TemplateRenderer, text: ModelText = .bytes) {
        reasoningPrompt = text.encode(renderer.reasoningPrompt(question: item.question))
        posteriorPrompt = text.encode(
            renderer.posteriorPrompt(question: item.question, solution: item.referenceSolution))
        solutionOpening = text.encode(SpecialToken.endOfThought.text + SpecialToken.beginOfSolution.text)
        posteriorClosing = text.encode(renderer.posteriorStop.text)
        answer = text.encode(
            SpecialToken.endOfThought.text + SpecialToken.beginOfSolution.text
                + renderer.answerTarget(solution: item.referenceSolution))
    }

    /// pi's prompt for an answer after `trace`: the reasoning prompt, the trace, and the opened solution.
    /// - Parameter trace: thought tokens, without the end-of-thought marker.
    /// - Returns: the prompt to sample an answer from.
    public func answerPrompt(trace: [Int32]) -> [Int32] {
        reasoningPrompt + trace + solutionOpening
    }
}

extension TaskItem {
    /// The supervised example that teaches pi this item (stage 1): reasoning prompt, then thought and solution.
    /// - Parameter renderer: the templates.
    /// - Returns: the prompt and response texts.
    public func reasoningExample(renderer: TemplateRenderer) -> (prompt: String, response: String) {
        (
            renderer.reasoningPrompt(question: question),
            renderer.reasoningTarget(thought: referenceThought, solution: referenceSolution)
        )
    }

    /// The supervised example that teaches q this item (stage 2): question and hint, then the thought.
    /// - Parameter renderer: the templates.
    /// - Returns: the prompt and response texts.
    public func posteriorExample(renderer: TemplateRenderer) -> (prompt: String, response: String) {
        (
            renderer.posteriorPrompt(question: question, solution: referenceSolution),
            renderer.posteriorTarget(thought: referenceThought)
        )
    }
}
