// The released code's offline pipeline, after sampling: q's K traces per question, scored with a fixed pi_theta0,
// turned into SFT examples (the paper's released code; docs/math.md, "Trace selection").
//
// Per question: log q from the sampler (untempered) and log pi0 by teacher forcing at temperature 1;
// log rho_k = log acc_k + mean_t(log pi0 - log q) [E5, E6]. The best-trace mode keeps the argmax trace as an
// unweighted example [thought; solution]; the weighted mode keeps every usable trace with weight rhoTilde_k [E4].
// A question without a usable trace keeps its reference example.

import VRModel
import VRObjectives
import VRTasks
import VRText
import VRWire

/// One SFT example built from a question's traces, or its reference example when no trace was usable.
public struct BuiltExample: Sendable, Equatable {
    /// The question.
    public var questionID: String
    /// The SFT prompt (pi's reasoning prompt).
    public var prompt: String
    /// The SFT response: the thought, then the reference solution.
    public var response: String
    /// The example's training weight: rhoTilde_k in the weighted mode, else 1.
    public var weight: Double
    /// The chosen trace's log weight log rho_k in the best-trace mode, else nil.
    public var logWeight: Double?
    /// Whether this is the question's reference example (no trace was usable).
    public var isReference: Bool
}

/// Turns q's scored traces into an SFT set with a fixed reasoning model pi0.
public struct DataBuilder: Sendable {
    /// All usable traces weighted, or the single best.
    public let mode: TraceSelection.Mode
    /// Traces of more sampled tokens than this, closing marker included, are never chosen (the released code's
    /// length cap); traces the length limit cut off never are either.
    public let maxTraceTokens: Int
    /// How the trace ratio enters the weights ([E5]).
    public let normalization: TraceNormalization
    /// The templates.
    public let renderer: TemplateRenderer
    /// The models' tokenizer.
    public let text: ModelText

    /// Creates a builder.
    /// - Parameters:
    ///   - mode: all usable traces weighted (the paper's 1K setting) or the best one (its 17K setting).
    ///   - maxTraceTokens: the length cap, at least 1.
    ///   - normalization: the trace ratio per token (the released code's) or exact ([E5]).
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    /// - Throws: `WorkerError.invalidConfiguration` for a cap below 1.
    public init(
        mode: TraceSelection.Mode, maxTraceTokens: Int, normalization: TraceNormalization = .perToken,
        renderer: TemplateRenderer = TemplateRenderer(), text: ModelText = .bytes
    ) throws(WorkerError) {
        guard maxTraceTokens >= 1 else {
            throw .invalidConfiguration("maxTraceTokens must be at least 1, got \(maxTraceTokens)")
        }
        self.mode = mode
        self.maxTraceTokens = maxTraceTokens
        self.normalization = normalization
        self.renderer = renderer
        self.text = text
    }

    /// Builds the examples of one question from its traces.
    /// - Parameters:
    ///   - item: the question with its reference solution.
    ///   - rollout: q's traces for it (model phase), with Acc evidence from pi0.
    ///   - reasoning: pi0, for log pi0 by teacher forcing.
    /// - Returns: the best trace's example, every usable trace's example with its weight, or the reference.
    /// - Throws: `WorkerError.model` if pi0 refuses the sequences, `.invalidConfiguration` for a rollout of another
    ///   question or evidence the objectives refuse.
    public func examples(
        for item: TaskItem, rollout: QuestionRollout, reasoning: Transformer
    ) throws(WorkerError) -> [BuiltExample] {
        guard rollout.questionID == item.id else {
            throw .invalidConfiguration("the rollout of \"\(rollout.questionID)\" was given for \"\(item.id)\"")
        }
        let prompts = TaskPrompts(item: item, renderer: renderer, text: text)
        // Traces the length limit cut off, or that do not fit behind pi's reasoning prompt, are left out.
        let traces: [FinishedTrace] = rollout.traces.compactMap { trace in
            guard !trace.isTruncated, trace.traceTokenIDs.count <= maxTraceTokens else { return nil }
            let closing = [prompts.posteriorClosing, prompts.thoughtClosing].first {
                trace.traceTokenIDs.count >= $0.count && trace.traceTokenIDs.suffix($0.count) == $0
            }
            guard let closing else { return nil }
            let finished = FinishedTrace(
                thought: Array(trace.traceTokenIDs.dropLast(closing.count)),
                logQ: alignMarker(
                    logQ: trace.behaviourLogProbs, markerCount: closing.count,
                    piMarkerCount: prompts.thoughtClosing.count),
                answers: trace.sampledAnswers)
            let length = prompts.reasoningPrompt.count + finished.thought.count + prompts.thoughtClosing.count
            return length <= reasoning.configuration.contextLength ? finished : nil
        }
        let selection = try select(traces, prompts: prompts, reasoning: reasoning, question: item.id)
        let example = item.reasoningExample(renderer: renderer)
        func traceExample(_ index: Int, weight: Double, logWeight: Double?) -> BuiltExample {
            let thought = text.tokenizer.decodeLossy(traces[index].thought)
            return BuiltExample(
                questionID: item.id, prompt: example.prompt,
                response: renderer.reasoningTarget(thought: thought, solution: item.referenceSolution),
                weight: weight, logWeight: logWeight, isReference: false)
        }
        switch selection {
        case .best(let index, let logWeight):
            return [traceExample(index, weight: 1, logWeight: logWeight)]
        case .weighted(let normalized):
            return normalized.weights.indices.filter { normalized.weights[$0] > 0 }.map {
                traceExample($0, weight: normalized.weights[$0], logWeight: nil)
            }
        case .reference:
            return [
                BuiltExample(
                    questionID: item.id, prompt: example.prompt, response: example.response, weight: 1, logWeight: nil,
                    isReference: true)
            ]
        }
    }

    /// A finished trace: its thought without the closing marker, q's log-probs laid over pi's closed thought.
    private struct FinishedTrace {
        var thought: [Int32]
        var logQ: [Float]
        var answers: SampledAnswers
    }

    /// Scores the traces, closed with pi's end-of-thought marker ([E5]), with pi0 and applies the released code's
    /// selection rules.
    private func select(
        _ traces: [FinishedTrace], prompts: TaskPrompts, reasoning: Transformer, question: String
    ) throws(WorkerError) -> TraceSelection.Choice {
        guard !traces.isEmpty else { return .reference }
        let scored: [[Float]]
        do {
            scored = try reasoning.score(traces.map { prompts.reasoningPrompt + $0.thought + prompts.thoughtClosing })
        } catch {
            throw .model(error)
        }
        let start = prompts.reasoningPrompt.count
        let evidence = zip(traces, scored).map { trace, logProbs in
            TraceEvidence(
                logPiTrace: ScoredTokens.logProbs(logProbs, ofTokensAt: start, count: trace.logQ.count),
                logQTrace: trace.logQ.map(Double.init),
                answer: .sampled(correct: trace.answers.correctCount, total: trace.answers.answerCount))
        }
        do {
            return try selectTraces(evidence, estimator: .accuracy, mode: mode, normalization: normalization).choice
        } catch {
            throw .invalidConfiguration("question \(question): \(error)")
        }
    }
}
