// The released code's offline pipeline, after sampling: q's K traces per question, scored once with a fixed
// pi_theta0 into a pooled question, then turned into SFT examples (the paper's released code; docs/math.md, "Trace
// selection").
//
// Per trace: log q from the sampler (untempered), log pi0 of the closed thought and of the reference answer after
// it by teacher forcing at temperature 1; the weights come from `OfflineSelection`. A question without a usable
// trace keeps its reference example.

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
    /// The example's training weight: rhoTilde_k in the weighted mode, acc_k / K for RFT, else 1.
    public var weight: Double
    /// The chosen trace's log weight log rho_k in the best-trace mode, else nil.
    public var logWeight: Double?
    /// Whether this is the question's reference example.
    public var isReference: Bool
    /// The index of its trace among the question's pooled traces; nil for the reference example.
    public var trace: Int? = nil
}

/// Scores sampled traces with a fixed reasoning model pi0 and turns them into an SFT set.
public struct DataBuilder: Sendable {
    /// The most tokens pi0 scores in one forward pass: a question's traces in a few passes, each with a small
    /// workspace.
    static let scoredTokensPerPass = 2_048

    /// How examples are chosen and weighted.
    public let selection: OfflineSelection
    /// Traces of more sampled tokens than this, closing marker included, are never chosen (the released code's
    /// length cap); traces the length limit cut off never are either.
    public let maxTraceTokens: Int
    /// The templates.
    public let renderer: TemplateRenderer
    /// The models' tokenizer.
    public let text: ModelText

    /// Creates a builder.
    /// - Parameters:
    ///   - selection: how examples are chosen and weighted.
    ///   - maxTraceTokens: the length cap, at least 1.
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    /// - Throws: `WorkerError.invalidConfiguration` for a cap below 1 or a K below 1.
    public init(
        selection: OfflineSelection, maxTraceTokens: Int, renderer: TemplateRenderer = TemplateRenderer(),
        text: ModelText = .bytes
    ) throws(WorkerError) {
        guard maxTraceTokens >= 1 else {
            throw .invalidConfiguration("maxTraceTokens must be at least 1, got \(maxTraceTokens)")
        }
        if let traces = selection.traces, traces < 1 {
            throw .invalidConfiguration("the traces per question must be at least 1, got \(traces)")
        }
        self.selection = selection
        self.maxTraceTokens = maxTraceTokens
        self.renderer = renderer
        self.text = text
    }

    /// A builder with the released code's Acc selection.
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
        try self.init(
            selection: .accuracy(mode, normalization: normalization), maxTraceTokens: maxTraceTokens,
            renderer: renderer, text: text)
    }

    /// Builds the examples of one question from its traces: `pooled` then `examples(for:pooled:)`.
    /// - Parameters:
    ///   - item: the question with its reference solution.
    ///   - rollout: the traces for it (model phase), with Acc evidence from pi0.
    ///   - reasoning: pi0, for log pi0 by teacher forcing.
    /// - Returns: the examples.
    /// - Throws: as `pooled` and `examples(for:pooled:)`.
    public func examples(
        for item: TaskItem, rollout: QuestionRollout, reasoning: Transformer
    ) throws(WorkerError) -> [BuiltExample] {
        try examples(for: item, pooled: try pooled(item, rollout: rollout, reasoning: reasoning))
    }

    /// Scores one question's traces with pi0: the closed thought, and the reference answer after it.
    /// - Parameters:
    ///   - item: the question with its reference solution.
    ///   - rollout: the traces for it (model phase), with Acc evidence from pi0.
    ///   - reasoning: pi0.
    /// - Returns: every trace in sampling order; those cut off, over the cap or too long for pi0 unusable.
    /// - Throws: `WorkerError.model` if pi0 refuses the sequences, `.invalidConfiguration` for a rollout of another
    ///   question.
    public func pooled(
        _ item: TaskItem, rollout: QuestionRollout, reasoning: Transformer
    ) throws(WorkerError) -> PooledQuestion {
        guard rollout.questionID == item.id else {
            throw .invalidConfiguration("the rollout of \"\(rollout.questionID)\" was given for \"\(item.id)\"")
        }
        let prompts = TaskPrompts(item: item, renderer: renderer, text: text)
        // Each usable trace is scored as [prompt; thought; end of thought; begin of solution; reference answer].
        var sequences: [[Int32]] = []
        let finished: [(thought: [Int32], logQ: [Float], answerStart: Int)?] = rollout.traces.map { trace in
            guard !trace.isTruncated, trace.traceTokenIDs.count <= maxTraceTokens else { return nil }
            let closing = [prompts.posteriorClosing, prompts.thoughtClosing].first {
                trace.traceTokenIDs.count >= $0.count && trace.traceTokenIDs.suffix($0.count) == $0
            }
            guard let closing else { return nil }
            let thought = Array(trace.traceTokenIDs.dropLast(closing.count))
            let answerPrompt = prompts.answerPrompt(thought: thought)
            guard answerPrompt.count + prompts.answer.count <= reasoning.configuration.contextLength else { return nil }
            sequences.append(answerPrompt + prompts.answer)
            let logQ = alignMarker(
                logQ: trace.behaviourLogProbs, markerCount: closing.count, piMarkerCount: prompts.thoughtClosing.count)
            return (thought, logQ, answerPrompt.count)
        }
        let scores: [[Float]]
        do {
            scores = try reasoning.score(sequences, maxTokensPerChunk: Self.scoredTokensPerPass)
        } catch {
            throw .model(error)
        }
        var scored = scores.makeIterator()
        let start = prompts.reasoningPrompt.count
        let traces = zip(rollout.traces, finished).map { trace, finished in
            let answers = trace.sampledAnswers
            let sampledTokens = trace.traceTokenIDs.count + answers.tokenCount
            guard let finished, let logProbs = scored.next() else {
                return PooledTrace.unusable(
                    sampledAnswers: answers.answerCount, correctAnswers: answers.correctCount,
                    sampledTokens: sampledTokens)
            }
            return PooledTrace(
                isUsable: true, thought: text.tokenizer.decodeLossy(finished.thought),
                logQ: finished.logQ.map(Double.init),
                logPi: ScoredTokens.logProbs(logProbs, ofTokensAt: start, count: finished.logQ.count),
                logPiReference: ScoredTokens.logProbs(
                    logProbs, ofTokensAt: finished.answerStart, count: prompts.answer.count),
                sampledAnswers: answers.answerCount, correctAnswers: answers.correctCount, sampledTokens: sampledTokens)
        }
        return PooledQuestion(questionID: item.id, traces: traces)
    }

    /// Builds the examples of one question from its pooled traces, with this builder's selection.
    /// - Parameters:
    ///   - item: the question with its reference solution.
    ///   - pooled: its traces, scored with pi0.
    /// - Returns: the chosen traces' examples with their weights, the reference example, or both (17K mix).
    /// - Throws: `WorkerError.invalidConfiguration` for a pool of another question or evidence the objectives
    ///   refuse (naming the question).
    public func examples(for item: TaskItem, pooled: PooledQuestion) throws(WorkerError) -> [BuiltExample] {
        guard pooled.questionID == item.id else {
            throw .invalidConfiguration("the traces of \"\(pooled.questionID)\" were given for \"\(item.id)\"")
        }
        let considered = pooled.prefix(selection.traces).traces
        let example = item.reasoningExample(renderer: renderer)
        let reference = BuiltExample(
            questionID: item.id, prompt: example.prompt, response: example.response, weight: 1, logWeight: nil,
            isReference: true)
        func traceExample(_ index: Int, weight: Double, logWeight: Double?) -> BuiltExample {
            BuiltExample(
                questionID: item.id, prompt: example.prompt,
                response: renderer.reasoningTarget(
                    thought: considered[index].thought, solution: item.referenceSolution),
                weight: weight, logWeight: logWeight, isReference: false, trace: index)
        }
        let chosen: [BuiltExample]
        switch selection.weighting {
        case .rejectionSampling:
            chosen = considered.indices.filter {
                considered[$0].isUsable && considered[$0].correctAnswers > 0 && considered[$0].sampledAnswers > 0
            }.map {
                let trace = considered[$0]
                return traceExample(
                    $0, weight: Double(trace.correctAnswers) / Double(trace.sampledAnswers) / Double(considered.count),
                    logWeight: nil)
            }
        case .variational(let estimator, let mode, let normalization):
            let usableIndices = considered.indices.filter { considered[$0].isUsable }
            let usable = usableIndices.map { considered[$0] }
            let evidence = usable.map { trace in
                TraceEvidence(
                    logPiTrace: trace.logPi, logQTrace: trace.logQ,
                    answer: estimator == .accuracy
                        ? .sampled(correct: trace.correctAnswers, total: trace.sampledAnswers)
                        : .referenceLogProbs(trace.logPiReference))
            }
            let choice: TraceSelection.Choice
            do {
                choice =
                    usable.isEmpty
                    ? .reference
                    : try selectTraces(evidence, estimator: estimator, mode: mode, normalization: normalization).choice
            } catch {
                throw .invalidConfiguration("question \(item.id): \(error)")
            }
            switch choice {
            case .best(let index, let logWeight):
                chosen = [traceExample(usableIndices[index], weight: 1, logWeight: logWeight)]
            case .weighted(let normalized):
                chosen = normalized.weights.indices.filter { normalized.weights[$0] > 0 }.map {
                    traceExample(usableIndices[$0], weight: normalized.weights[$0], logWeight: nil)
                }
            case .reference:
                return [reference]
            }
        }
        return selection.includesReferences ? [reference] + chosen : chosen
    }
}
