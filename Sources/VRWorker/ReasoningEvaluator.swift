// Accuracy of pi on held-out questions: Avg@k (mean fraction of k samples correct) and pass@k.

import VRModel
import VRTasks
import VRText

/// Avg@k and pass@k of a reasoning model, overall, per difficulty and per task family.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// Scores of one group of questions.
    public struct Scores: Sendable, Equatable, Codable {
        /// Questions in the group.
        public var questionCount: Int
        /// Mean over questions of the fraction of the k samples whose answer is correct.
        public var averageAtK: Double
        /// Fraction of questions with at least one correct sample among k.
        public var passAtK: Double

        /// Creates scores.
        /// - Parameters:
        ///   - questionCount: questions in the group.
        ///   - averageAtK: Avg@k.
        ///   - passAtK: pass@k.
        public init(questionCount: Int, averageAtK: Double, passAtK: Double) {
            self.questionCount = questionCount
            self.averageAtK = averageAtK
            self.passAtK = passAtK
        }
    }

    /// Samples per question.
    public var samplesPerQuestion: Int
    /// Sampling temperature (0 is greedy).
    public var temperature: Float
    /// All questions.
    public var overall: Scores
    /// Per difficulty level, keyed by the level.
    public var byDifficulty: [Int: Scores]
    /// Per task family, keyed by its name (`TaskFamily.rawValue`; `other` for items without a family).
    public var byFamily: [String: Scores]

    /// Creates a report.
    /// - Parameters:
    ///   - samplesPerQuestion: k.
    ///   - temperature: the sampling temperature.
    ///   - overall: all questions.
    ///   - byDifficulty: per difficulty level.
    ///   - byFamily: per task family.
    public init(
        samplesPerQuestion: Int, temperature: Float, overall: Scores, byDifficulty: [Int: Scores],
        byFamily: [String: Scores]
    ) {
        self.samplesPerQuestion = samplesPerQuestion
        self.temperature = temperature
        self.overall = overall
        self.byDifficulty = byDifficulty
        self.byFamily = byFamily
    }
}

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

    /// Creates an evaluator.
    /// - Parameters:
    ///   - samplesPerQuestion: k, at least 1.
    ///   - temperature: finite and non-negative.
    ///   - maxResponseTokens: at least 1.
    ///   - renderer: the templates.
    ///   - questionsPerBatch: batching, at least 1.
    /// - Throws: `WorkerError.invalidConfiguration` for out-of-range values.
    public init(
        samplesPerQuestion: Int, temperature: Float, maxResponseTokens: Int = 72,
        renderer: TemplateRenderer = TemplateRenderer(), questionsPerBatch: Int = 16
    ) throws(WorkerError) {
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
        let tokenizer = ByteTokenizer()
        let stop = tokenizer.id(of: .endOfSolution)
        var correctCounts: [Int] = []
        for start in stride(from: 0, to: items.count, by: questionsPerBatch) {
            let batch = items[start..<min(start + questionsPerBatch, items.count)]
            let prompts = batch.flatMap { item in
                Array(
                    repeating: tokenizer.encode(renderer.reasoningPrompt(question: item.question)),
                    count: samplesPerQuestion)
            }
            let options = SamplingOptions(
                temperature: temperature, maxNewTokens: maxResponseTokens, stopSequences: [[stop]],
                seed: seed &+ UInt64(start))
            let responses: [SampledSequence]
            do { responses = try model.sample(prompts: prompts, options: options) } catch { throw .model(error) }
            for (offset, item) in batch.enumerated() {
                let samples = responses[(offset * samplesPerQuestion)..<((offset + 1) * samplesPerQuestion)]
                correctCounts.append(
                    samples.count { response in
                        let text = tokenizer.decodeLossy(response.tokens)
                        return item.isCorrect(ReasoningOutput.parse(text, layout: .thoughtAndSolution).finalAnswer)
                    })
            }
            progress(correctCounts.count)
        }
        let byDifficulty = Dictionary(grouping: items.indices, by: { items[$0].difficulty }).mapValues {
            scores(correctCounts: $0.map { correctCounts[$0] })
        }
        let byFamily = Dictionary(grouping: items.indices, by: { items[$0].family?.rawValue ?? "other" }).mapValues {
            scores(correctCounts: $0.map { correctCounts[$0] })
        }
        return EvaluationReport(
            samplesPerQuestion: samplesPerQuestion, temperature: temperature,
            overall: scores(correctCounts: correctCounts), byDifficulty: byDifficulty, byFamily: byFamily)
    }

    private func scores(correctCounts: [Int]) -> EvaluationReport.Scores {
        let count = Double(correctCounts.count)
        return EvaluationReport.Scores(
            questionCount: correctCounts.count,
            averageAtK: correctCounts.reduce(0.0) { $0 + Double($1) / Double(samplesPerQuestion) } / count,
            passAtK: Double(correctCounts.count { $0 > 0 }) / count)
    }
}
