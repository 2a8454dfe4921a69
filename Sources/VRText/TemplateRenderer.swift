// Renders the reasoning prompt and target for pi, and the posterior prompts A and B for q (templates: docs/protocol.md).

/// Turns questions, thoughts and solutions into the exact texts the models read and write.
///
/// Rendered texts are plain strings; `ByteTokenizer` maps each marker text to its single special
/// token. There are no newlines between turns: every byte costs a token. With system message `S`,
/// question `Q`, thought `Z` and solution `Y` (a turn is dropped when its system message is empty):
///
/// - reasoning prompt, pi(z|x): `<|system|>S<|end|><|user|>Q<|end|><|assistant|><|begin_of_thought|>`;
/// - reasoning target: `Z<|end_of_thought|><|begin_of_solution|>Y<|end_of_solution|>`;
/// - answer prompt, pi(y|x,z): the reasoning prompt + `Z<|end_of_thought|><|begin_of_solution|>`;
/// - answer target: `Y<|end_of_solution|>`;
/// - posterior prompt B, q(z|x,y'): `<|system|>S'<|end|><|user|>Q<|end|><|assistant|>` +
///   `<|begin_of_solution|>Y'<|end_of_solution|><|begin_of_thought|>`; posterior target B: `Z<|end_of_thought|>`;
/// - posterior prompt A: as B but ending in `<|begin_of_explanation|>`; posterior target A:
///   `Z<|end_of_explanation|>`.
///
/// The reasoning prompt followed by the reasoning target is one training sequence for pi; the
/// posterior prompt followed by the posterior target is one for q. A posterior trace `Z` is scored
/// under pi by placing it in the reasoning layout.
public struct TemplateRenderer: Sendable, Equatable {
    /// The system messages and the posterior variant.
    public var configuration: TemplateConfiguration
    /// A pretrained chat model's format: when set, the system and user turns are written in it (ChatML) rather
    /// than with the built-in family's turn tokens, and the paper's markers are plain text after its opened
    /// assistant turn.
    public var chatTemplate: ChatTemplate?

    /// The marker that ends a thought: stop trace sampling from pi (and from q with template B) here.
    public static let thoughtStop = SpecialToken.endOfThought
    /// The marker that ends a solution: stop answer sampling here.
    public static let solutionStop = SpecialToken.endOfSolution

    /// Creates a renderer.
    /// - Parameters:
    ///   - configuration: the system messages and posterior variant; default compact, template B.
    ///   - chatTemplate: a pretrained chat model's format, or nil for the built-in family's turns.
    public init(configuration: TemplateConfiguration = TemplateConfiguration(), chatTemplate: ChatTemplate? = nil) {
        self.configuration = configuration
        self.chatTemplate = chatTemplate
    }

    // MARK: - Reasoning model pi

    /// The prompt of pi(z|x): the question as the user turn, the assistant turn opened with `<|begin_of_thought|>`.
    /// - Parameter question: the question text.
    /// - Returns: the prompt; the model continues with a thought.
    public func reasoningPrompt(question: String) -> String {
        chat(system: configuration.systemPrompt, question: question) + SpecialToken.beginOfThought.text
    }

    /// The training target after `reasoningPrompt`: thought, end of thought, then the solution in its markers.
    /// - Parameters:
    ///   - thought: the reasoning trace.
    ///   - solution: the solution text, which holds the final answer.
    /// - Returns: `thought<|end_of_thought|><|begin_of_solution|>solution<|end_of_solution|>`.
    public func reasoningTarget(thought: String, solution: String) -> String {
        thought + SpecialToken.endOfThought.text + answerTarget(solution: solution).withBeginMarker
    }

    /// The prompt of pi(y|x,z): the reasoning prompt, the thought, and the opened solution.
    /// - Parameters:
    ///   - question: the question text.
    ///   - thought: the reasoning trace, without markers.
    /// - Returns: the prompt; the model continues with a solution and stops at `solutionStop`.
    public func answerPrompt(question: String, thought: String) -> String {
        reasoningPrompt(question: question) + thought + SpecialToken.endOfThought.text
            + SpecialToken.beginOfSolution.text
    }

    /// The training target after `answerPrompt`: the solution and its closing marker.
    /// - Parameter solution: the solution text.
    /// - Returns: `solution<|end_of_solution|>`.
    public func answerTarget(solution: String) -> String {
        solution + SpecialToken.endOfSolution.text
    }

    // MARK: - Posterior q

    /// The marker that ends a posterior trace: `<|end_of_thought|>` (B) or `<|end_of_explanation|>` (A).
    public var posteriorStop: SpecialToken {
        configuration.posteriorVariant == .a ? .endOfExplanation : .endOfThought
    }

    /// How to parse text sampled after `posteriorPrompt`: `.thought` (B) or `.explanation` (A).
    public var posteriorOutputLayout: ReasoningOutput.Layout {
        configuration.posteriorVariant == .a ? .explanation : .thought
    }

    /// The prompt of q(z|x,y'): the hint (reference solution) pre-filled in the assistant turn, then the trace opened.
    /// - Parameters:
    ///   - question: the question text.
    ///   - solution: the reference solution y', the hint.
    /// - Returns: the prompt; q continues with a trace and stops at `posteriorStop`.
    public func posteriorPrompt(question: String, solution: String) -> String {
        let opening: SpecialToken = configuration.posteriorVariant == .a ? .beginOfExplanation : .beginOfThought
        return chat(system: configuration.posteriorSystemPrompt, question: question)
            + answerTarget(solution: solution).withBeginMarker + opening.text
    }

    /// The training target after `posteriorPrompt`: the trace and the variant's closing marker.
    /// - Parameter thought: the trace.
    /// - Returns: `thought<|end_of_thought|>` (B) or `thought<|end_of_explanation|>` (A).
    public func posteriorTarget(thought: String) -> String {
        thought + posteriorStop.text
    }

    // MARK: - Helpers

    /// The system turn (if any), the user turn with the question, and the opened assistant turn; in a chat model's
    /// format, an empty system message leaves the template's default.
    private func chat(system: String, question: String) -> String {
        if let chatTemplate { return chatTemplate.render(system: system.isEmpty ? nil : system, user: question) }
        let systemTurn = system.isEmpty ? "" : SpecialToken.system.text + system + SpecialToken.end.text
        return systemTurn + SpecialToken.user.text + question + SpecialToken.end.text + SpecialToken.assistant.text
    }
}

extension String {
    /// The text with `<|begin_of_solution|>` in front.
    fileprivate var withBeginMarker: String { SpecialToken.beginOfSolution.text + self }
}
