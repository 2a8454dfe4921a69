// The released code's offline pipeline: K traces per question from a fixed q, scored with a fixed pi_theta0,
// the best trace per question kept (PAPER.md, "What the released code does").
//
// Per question: z_1..K ~ q(z | x, y') at the trace temperature; log q from the sampler (untempered) and log pi0 by
// teacher forcing at temperature 1; log rho_k = log acc_k + mean_t(log pi0 - log q) [E5, E6]; the argmax trace
// becomes the SFT example [thought; solution]; a question without a usable trace keeps its reference example.

import VRModel
import VRObjectives
import VRTasks
import VRText

/// One question's outcome: the chosen thought, or the reference thought when no trace was usable.
public struct BuiltExample: Sendable, Equatable {
    /// The question.
    public var questionID: String
    /// The SFT prompt (pi's reasoning prompt).
    public var prompt: String
    /// The SFT response: the thought, then the reference solution.
    public var response: String
    /// The chosen trace's log weight, or nil when the reference example was kept.
    public var logWeight: Double?
}

/// Builds an SFT set from a fixed posterior q and a fixed reasoning model pi0.
public struct DataBuilder: Sendable {
    /// Traces per question (K).
    public let traceCount: Int
    /// Sampling and Acc scoring settings.
    public let sampler: RolloutSampler
    /// Traces longer than this many tokens are never chosen (the released code's length cap).
    public let maxTraceTokens: Int

    /// Creates a builder.
    /// - Parameters:
    ///   - traceCount: K, at least 1.
    ///   - options: sampling and scoring settings.
    ///   - renderer: the templates.
    /// - Throws: `WorkerError.invalidConfiguration` for bad settings.
    public init(
        traceCount: Int, options: RolloutOptions, renderer: TemplateRenderer = TemplateRenderer()
    )
        throws(WorkerError)
    {
        guard traceCount >= 1 else { throw .invalidConfiguration("traceCount must be at least 1, got \(traceCount)") }
        self.traceCount = traceCount
        self.sampler = try RolloutSampler(options: options, renderer: renderer)
        self.maxTraceTokens = options.maxTraceTokens
    }

    /// Chooses one SFT example per item.
    /// - Parameters:
    ///   - items: the questions with reference solutions.
    ///   - models: q (samples) and pi0 (answers for Acc, and log pi0).
    ///   - seed: the sampling seed.
    /// - Returns: one example per item, in order.
    /// - Throws: `WorkerError.model` if a model refuses a batch, `.invalidConfiguration` for evidence the
    ///   objectives refuse.
    public func build(_ items: [TaskItem], models: ModelPair, seed: UInt64) throws(WorkerError) -> [BuiltExample] {
        let requests = items.map { RolloutRequest(item: $0, phase: .model, traceCount: traceCount) }
        let rollouts = try sampler.rollouts(for: requests, models: models, seed: seed)
        let tokenizer = ByteTokenizer()
        var examples: [BuiltExample] = []
        for (item, rollout) in zip(items, rollouts) {
            let prompts = TaskPrompts(item: item, renderer: sampler.renderer)
            // log pi0 of each trace token, by teacher forcing on pi's reasoning prompt; traces that do not fit
            // behind that prompt cannot be trained on and are left out.
            let contextLength = models.reasoning.configuration.contextLength
            let fitting = rollout.traces.indices.filter {
                prompts.reasoningPrompt.count + rollout.traces[$0].traceTokenIDs.count <= contextLength
            }
            let sequences = fitting.map { prompts.reasoningPrompt + rollout.traces[$0].traceTokenIDs }
            let scored: [[Float]]
            do { scored = sequences.isEmpty ? [] : try models.reasoning.score(sequences) } catch { throw .model(error) }
            let evidence = zip(fitting, scored).map { index, logProbs in
                let trace = rollout.traces[index]
                let start = prompts.reasoningPrompt.count - 1
                var correct = 0
                var total = 1
                if case .sampled(let verified, let sampled) = trace.answerEvidence {
                    (correct, total) = (verified, sampled)
                }
                return TraceEvidence(
                    logPiTrace: logProbs[start..<(start + trace.traceTokenIDs.count)].map(Double.init),
                    logQTrace: trace.behaviourLogProbs.map(Double.init),
                    answer: .sampled(correct: correct, total: total))
            }
            var selection = TraceSelection(choice: .reference, overLengthCount: 0, zeroWeightCount: 0)
            if !evidence.isEmpty {
                do {
                    selection = try selectTraces(
                        evidence, estimator: .accuracy, mode: .bestTrace, maxTraceTokenCount: maxTraceTokens - 1)
                } catch {
                    throw .invalidConfiguration("question \(item.id): \(error)")
                }
            }
            let example = item.reasoningExample(renderer: sampler.renderer)
            switch selection.choice {
            case .best(let index, let logWeight):
                let thought = tokenizer.decodeLossy(rollout.traces[fitting[index]].traceTokenIDs)
                examples.append(
                    BuiltExample(
                        questionID: item.id, prompt: example.prompt,
                        response: sampler.renderer.reasoningTarget(thought: thought, solution: item.referenceSolution),
                        logWeight: logWeight))
            case .reference, .weighted:
                examples.append(
                    BuiltExample(
                        questionID: item.id, prompt: example.prompt, response: example.response, logWeight: nil))
            }
        }
        return examples
    }
}
