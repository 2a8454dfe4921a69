// The token sequences a task item becomes under the templates: what pi and q are prompted with, and the answer.

import VRText

/// One question as the models see it (templates: docs/protocol.md).
///
/// Legend: pi's prompt ends with `<|begin_of_thought|>`; q's prompt carries the reference solution as the
/// hint y' and also ends where the thought starts. A finished trace ends with its closing marker
/// (`<|end_of_thought|>` for pi); an answer follows the opened solution, `<|begin_of_solution|>`, and ends with
/// `<|end_of_solution|>`. Markers are tokenized on their own, so a sequence built from these pieces holds exactly
/// the tokens a model sampled after them.
public struct TaskPrompts: Sendable, Equatable {
    /// pi's reasoning prompt: system instructions, the question, and the opened thought.
    public let reasoningPrompt: [Int32]
    /// q's prompt: the question with the hint (the worked solution, or the answer only), and the opened thought.
    public let posteriorPrompt: [Int32]
    /// The reference answer after the opened solution: the solution and its closing marker.
    public let answer: [Int32]
    /// The marker that ends pi's thought: end of thought.
    public let thoughtClosing: [Int32]
    /// The marker that opens the solution after a finished thought: begin of solution.
    public let answerOpening: [Int32]
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
            renderer.posteriorPrompt(question: item.question, solution: item.hint(renderer.configuration.hint)))
        thoughtClosing = text.encode(SpecialToken.endOfThought.text)
        answerOpening = text.encode(SpecialToken.beginOfSolution.text)
        posteriorClosing = text.encode(renderer.posteriorStop.text)
        answer = text.encode(renderer.answerTarget(solution: item.referenceSolution))
    }

    /// pi's prompt for an answer after a thought: the reasoning prompt, the thought, its closing marker, and the
    /// opened solution.
    /// - Parameter thought: thought tokens, without a closing marker.
    /// - Returns: the prompt to sample an answer from.
    public func answerPrompt(thought: [Int32]) -> [Int32] {
        reasoningPrompt + thought + thoughtClosing + answerOpening
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
            renderer.posteriorPrompt(question: question, solution: hint(renderer.configuration.hint)),
            renderer.posteriorTarget(thought: referenceThought)
        )
    }
}
