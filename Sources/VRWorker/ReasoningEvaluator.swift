// Accuracy of pi on held-out questions: Avg@k (mean fraction of k samples correct) and pass@k.

import VRCore
import VRModel
import VRRecords
import VRTasks
import VRText

/// Samples k full responses (thought and solution) per question from pi and verifies their final answers.
public struct ReasoningEvaluator: Sendable {
    /// Samples per question (k).
    public let samplesPerQuestion: Int
    /// Sampling temperature; 0 is greedy.
    public let temperature: Float
    /// The most tokens of a response.
    public let maxResponseTokens: Int
    /// The templates.
    public let renderer: TemplateRenderer
    /// Questions sampled together in one batch.
    public let questionsPerBatch: Int
    /// The model's tokenizer and reply ends.
    public let text: ModelText
    /// How questions are put to the model.
    public let style: PromptStyle

    /// How questions are put to the model.
    public enum PromptStyle: String, Sendable, CaseIterable {
        /// The paper's reasoning template: the model writes a thought and a solution between the markers; the
        /// answer is read from the solution.
        case reasoning
        /// For a pretrained chat model that has not learnt the markers: the question as the user's turn with an
        /// instruction to end with `Answer: N`; the answer is read from the whole reply (its `Answer:` line, else
        /// its last number).
        case plain
    }

    /// The instruction that `PromptStyle.plain` appends to each question.
    public static let plainInstruction = "\nGive the final answer on the last line as 'Answer: N'."

    /// The longest response, in tokens, unless the caller says otherwise: room for the built-in tasks' thoughts.
    public static let defaultMaxResponseTokens = 72

    /// Creates an evaluator.
    /// - Parameters:
    ///   - samplesPerQuestion: k, at least 1.
    ///   - temperature: finite and non-negative.
    ///   - maxResponseTokens: at least 1; by default `defaultMaxResponseTokens`.
    ///   - renderer: the templates.
    ///   - questionsPerBatch: batching, at least 1.
    ///   - text: the model's tokenizer and reply ends.
    ///   - style: how questions are put to the model; `.plain` needs the renderer's chat template.
    /// - Throws: `WorkerError.invalidConfiguration` for out-of-range values.
    public init(
        samplesPerQuestion: Int, temperature: Float, maxResponseTokens: Int = defaultMaxResponseTokens,
        renderer: TemplateRenderer = TemplateRenderer(), questionsPerBatch: Int = 16, text: ModelText = .bytes,
        style: PromptStyle = .reasoning
    ) throws(WorkerError) {
        if style == .plain, renderer.chatTemplate == nil {
            throw .invalidConfiguration("the plain prompt style needs a chat model (a ChatML chat template)")
        }
        guard samplesPerQuestion >= 1 else {
            throw .invalidConfiguration("samples per question must be at least 1, got \(samplesPerQuestion)")
        }
        guard temperature >= 0, temperature.isFinite else {
            throw .invalidConfiguration("temperature must be finite and non-negative, got \(temperature)")
        }
        guard maxResponseTokens >= 1, questionsPerBatch >= 1 else {
            throw .invalidConfiguration("maxResponseTokens and questionsPerBatch must be at least 1")
        }
        self.samplesPerQuestion = samplesPerQuestion
        self.temperature = temperature
        self.maxResponseTokens = maxResponseTokens
        self.renderer = renderer
        self.questionsPerBatch = questionsPerBatch
        self.text = text
        self.style = style
    }

    /// Evaluates `model` on `items`.
    /// - Parameters:
    ///   - model: pi.
    ///   - items: the questions (at least one).
    ///   - seed: the sampling seed.
    ///   - progress: called with the number of questions done so far.
    /// - Returns: Avg@k and pass@k overall and per difficulty.
    /// - Throws: `WorkerError.invalidConfiguration` for no items, `.model` if a prompt does not fit the model.
    public func evaluate(
        _ model: Transformer, on items: [TaskItem], seed: UInt64, progress: (Int) -> Void = { _ in }
    ) throws(WorkerError) -> EvaluationReport {
        guard !items.isEmpty else { throw .invalidConfiguration("no questions to evaluate") }
        let stops =
            (style == .reasoning ? [text.encode(SpecialToken.endOfSolution.text)] : []) + text.endOfGeneration
        var correctCounts: [Int] = []
        for start in stride(from: 0, to: items.count, by: questionsPerBatch) {
            let batch = items[start..<min(start + questionsPerBatch, items.count)]
            let prompts = batch.flatMap { item in
                Array(repeating: prompt(item.question), count: samplesPerQuestion)
            }
            let options = SamplingOptions(
                temperature: temperature, maxNewTokens: maxResponseTokens, stopSequences: stops,
                seed: SeededGenerator(seed: seed).seed(forStream: UInt64(start)))
            let responses: [SampledSequence]
            do { responses = try model.sample(prompts: prompts, options: options) } catch { throw .model(error) }
            for (offset, item) in batch.enumerated() {
                let samples = responses[(offset * samplesPerQuestion)..<((offset + 1) * samplesPerQuestion)]
                correctCounts.append(
                    samples.count { response in
                        item.isCorrect(answer(in: text.tokenizer.decodeLossy(response.tokens)))
                    })
            }
            progress(correctCounts.count)
        }
        let byDifficulty = Dictionary(grouping: items.indices, by: { items[$0].difficulty }).mapValues {
            scores(correctCounts: $0.map { correctCounts[$0] })
        }
        let families = Dictionary(grouping: items.indices, by: { items[$0].familyName })
        let byFamily = families.mapValues { scores(correctCounts: $0.map { correctCounts[$0] }) }
        let byFamilyAndDifficulty = families.mapValues { indices in
            Dictionary(grouping: indices, by: { items[$0].difficulty }).mapValues {
                scores(correctCounts: $0.map { correctCounts[$0] })
            }
        }
        return EvaluationReport(
            samplesPerQuestion: samplesPerQuestion, temperature: temperature,
            overall: scores(correctCounts: correctCounts), byDifficulty: byDifficulty, byFamily: byFamily,
            byFamilyAndDifficulty: byFamilyAndDifficulty)
    }

    /// The prompt for `question` in this evaluator's style.
    private func prompt(_ question: String) -> [Int32] {
        switch style {
        case .reasoning: text.encode(renderer.reasoningPrompt(question: question))
        case .plain:
            text.encode(renderer.chatTemplate?.render(system: nil, user: question + Self.plainInstruction) ?? question)
        }
    }

    /// The final answer in a reply, nil if there is none.
    private func answer(in reply: String) -> String? {
        let ends = text.endOfGeneration.map { text.tokenizer.decodeLossy($0) }
        let body = ends.reduce(reply) { $0.replacingOccurrences(of: $1, with: "") }
        switch style {
        case .reasoning: return ReasoningOutput.parse(body, layout: .thoughtAndSolution).finalAnswer
        case .plain:
            // A chat model that ignores the requested format is read leniently: its last number.
            let hasAnswerLine = body.lowercased().contains("answer:") || body.contains("\\boxed{")
            return hasAnswerLine ? ReasoningOutput.finalAnswer(inSolution: body) : Self.lastNumber(in: body)
        }
    }

    /// The last number written in `text` (an optional sign, digits, a decimal or fraction part), if any.
    static func lastNumber(in text: String) -> String? {
        let number = /-?\d+(?:[.\/]\d+)?/
        return text.matches(of: number).last.map { String($0.output) }
    }

    private func scores(correctCounts: [Int]) -> EvaluationReport.Scores {
        let count = Double(correctCounts.count)
        return EvaluationReport.Scores(
            questionCount: correctCounts.count,
            averageAtK: correctCounts.reduce(0.0) { $0 + Double($1) / Double(samplesPerQuestion) } / count,
            passAtK: Double(correctCounts.count { $0 > 0 }) / count)
    }
}
