// Sampling the traces of assigned questions and scoring each by Acc with answers sampled from pi ([E6]).
//
// Model phase: K traces z ~ q(z | x, y') from q's hinted prompt (or another proposal the learner names).
// Posterior phase: M traces z ~ pi(z | x). Each trace ends at its stop marker, which it keeps ([E5]); its behaviour
// log-probs are the untempered per-token log-probs of the model that sampled it. Acc: n answers y ~ pi(y | x, z)
// after each finished trace (or from a fixed reference model's parameters, for RFT), the fraction the verifier
// accepts; the answers travel with their verdicts, for the answer part of pi's update ([E7]).

import VRCore
import VRModel
import VRTasks
import VRText
import VRWire

/// One question to sample for: the item, the phase, the proposal, the answer model and how many traces.
public struct RolloutRequest: Sendable, Equatable {
    /// The question with its reference solution and verifier.
    public var item: TaskItem
    /// The phase the traces are for.
    public var phase: RolloutPhase
    /// Which model samples the traces, and from which prompt.
    public var proposal: TraceProposal
    /// Traces to sample.
    public var traceCount: Int
    /// Which parameters sample the answers after each trace.
    public var answerModel: AnswerModel

    /// Describes one question's work.
    /// - Parameters:
    ///   - item: the question.
    ///   - phase: the phase.
    ///   - traceCount: the number of traces.
    ///   - proposal: the proposal; nil for the phase's standard one.
    ///   - answerModel: the parameters that sample the answers.
    public init(
        item: TaskItem, phase: RolloutPhase, traceCount: Int, proposal: TraceProposal? = nil,
        answerModel: AnswerModel = .reasoningModel
    ) {
        self.item = item
        self.phase = phase
        self.proposal = proposal ?? .standard(for: phase)
        self.traceCount = traceCount
        self.answerModel = answerModel
    }
}

/// Turns questions into scored traces with the current pi and q.
public struct RolloutSampler: Sendable {
    /// Sampling and scoring settings.
    public let options: RolloutOptions
    /// The templates (must match the learner's).
    public let renderer: TemplateRenderer
    /// The models' tokenizer.
    public let text: ModelText

    /// Creates a sampler.
    /// - Parameters:
    ///   - options: validated settings.
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    /// - Throws: `WorkerError.invalidConfiguration` for bad options.
    public init(
        options: RolloutOptions, renderer: TemplateRenderer = TemplateRenderer(), text: ModelText = .bytes
    ) throws(WorkerError) {
        try options.validate()
        self.options = options
        self.renderer = renderer
        self.text = text
    }

    /// Samples and scores the traces of `requests`.
    /// - Parameters:
    ///   - requests: the questions.
    ///   - models: pi and q.
    ///   - seed: the seed of this piece of work; equal seeds and parameters give equal rollouts.
    /// - Returns: one `QuestionRollout` per request, in order.
    /// - Throws: `WorkerError.invalidConfiguration` for models this sampler's tokenizer does not fit or a prompt
    ///   that does not fit the models' context, `.model` if a model refuses a batch.
    public func rollouts(
        for requests: [RolloutRequest], models: ModelPair, seed: UInt64
    ) throws(WorkerError)
        -> [QuestionRollout]
    {
        try checkTokenizer(fits: models)
        let prompts = requests.map { TaskPrompts(item: $0.item, renderer: renderer, text: text) }
        for (request, prompt) in zip(requests, prompts) {
            let samplingPrompt = self.prompt(of: prompt, proposal: request.proposal)
            let contextLength = models.reasoning.configuration.contextLength
            guard samplingPrompt.count < contextLength, prompt.reasoningPrompt.count < contextLength else {
                throw .invalidConfiguration(
                    "question \"\(request.item.id)\": its prompt has \(samplingPrompt.count) tokens; the model's "
                        + "context is \(contextLength)")
            }
        }
        var traces = [[SampledSequence]](repeating: [], count: requests.count)
        for proposal in TraceProposal.allCases {
            let indices = requests.indices.filter { requests[$0].proposal == proposal }
            let sampled = try sampleTraces(
                indices.flatMap { index in
                    Array(repeating: prompt(of: prompts[index], proposal: proposal), count: requests[index].traceCount)
                },
                proposal: proposal, models: models, seed: Self.streamSeed(seed, proposal: proposal))
            var cursor = 0
            for index in indices {
                traces[index] = Array(sampled[cursor..<(cursor + requests[index].traceCount)])
                cursor += requests[index].traceCount
            }
        }
        let answers = try sampleAnswers(
            traces: traces, prompts: prompts, requests: requests, models: models, seed: seed)
        return requests.indices.map { index in
            QuestionRollout(
                questionID: requests[index].item.id, phase: requests[index].phase,
                traces: zip(traces[index], answers[index]).map { trace, answers in
                    TraceRecord(
                        promptTokenIDs: prompt(of: prompts[index], proposal: requests[index].proposal),
                        traceTokenIDs: trace.tokens, behaviourLogProbs: trace.logProbs, isTruncated: !trace.isFinished,
                        sampledAnswers: SampledAnswers(
                            correctCount: answers.count(where: \.isCorrect), answerCount: options.answersPerTrace,
                            answers: answers))
                })
        }
    }

    /// Refuses models whose vocabulary the tokenizer does not fit: a pretrained model needs its own tokenizer, not
    /// the built-in family's bytes, and no tokenizer may have more ids than a model.
    private func checkTokenizer(fits models: ModelPair) throws(WorkerError) {
        for model in [models.reasoning, models.posterior] {
            let configuration = model.configuration
            if configuration.family != .gpt && text.tokenizer is ByteTokenizer {
                throw .invalidConfiguration(
                    "the models are \(configuration.family) models but the worker has the byte tokenizer: give it "
                        + "their tokenizer (--tokenizer MODEL)")
            }
            guard text.tokenizer.vocabularySize <= configuration.vocabularySize else {
                throw .invalidConfiguration(
                    "the tokenizer has \(text.tokenizer.vocabularySize) ids but the models' vocabulary is "
                        + "\(configuration.vocabularySize): the worker was given another model's tokenizer")
            }
        }
    }

    /// The seed of one proposal's traces, or of the answers (`proposal` nil), derived from the work's seed.
    /// - Parameters:
    ///   - seed: the seed of the piece of work.
    ///   - proposal: whose traces, or nil for the answers sampled after them.
    /// - Returns: the seed.
    static func streamSeed(_ seed: UInt64, proposal: TraceProposal?) -> UInt64 {
        let stream: UInt64 =
            switch proposal {
            case .hintedPosterior: 1
            case .reasoningModel: 2
            case nil: 3
            case .unhintedPosterior: 4
            }
        return SeededGenerator(seed: seed).seed(forStream: stream)
    }

    /// Answers sampled in one batch at most.
    ///
    /// Enough to keep both compute threads busy, few enough that their caches stay small. Batches after the first
    /// draw from streams of the first batch's seed.
    public static let answersPerBatch = 32

    /// The seed of the answers a model samples after the traces, derived from the work's seed.
    /// - Parameters:
    ///   - seed: the seed of the piece of work.
    ///   - model: whose answers.
    /// - Returns: the seed; pi's answers keep the stream `streamSeed(seed, proposal: nil)` names.
    static func answerSeed(_ seed: UInt64, model: AnswerModel) -> UInt64 {
        switch model {
        case .reasoningModel: streamSeed(seed, proposal: nil)
        case .posteriorParameters: SeededGenerator(seed: seed).seed(forStream: 5)
        }
    }

    private func prompt(of prompts: TaskPrompts, proposal: TraceProposal) -> [Int32] {
        proposal.isHinted ? prompts.posteriorPrompt : prompts.reasoningPrompt
    }

    /// The marker that ends a trace of `proposal`: a hinted thought ends with q's closing marker, an unhinted one
    /// like pi's.
    private func traceStop(_ proposal: TraceProposal) -> [Int32] {
        text.encode((proposal.isHinted ? renderer.posteriorStop : .endOfThought).text)
    }

    /// The traces, each with the stop marker that ended it unless it was cut off.
    private func sampleTraces(
        _ prompts: [[Int32]], proposal: TraceProposal, models: ModelPair, seed: UInt64
    )
        throws(WorkerError) -> [SampledSequence]
    {
        guard !prompts.isEmpty else { return [] }
        let model = proposal.samplesPosterior ? models.posterior : models.reasoning
        do {
            return try model.sample(
                prompts: prompts, options: options.traceSampling(stop: traceStop(proposal), seed: seed))
        } catch {
            throw .model(error)
        }
    }

    /// The answers per question and trace, with the verifier's verdicts: `answersPerTrace` of them sampled after
    /// each finished trace by the request's answer model; none after a truncated trace, or a trace that leaves
    /// no room for an answer (both score 0).
    private func sampleAnswers(
        traces: [[SampledSequence]], prompts: [TaskPrompts], requests: [RolloutRequest], models: ModelPair,
        seed: UInt64
    ) throws(WorkerError) -> [[[SampledAnswer]]] {
        var answers = traces.map { Array(repeating: [SampledAnswer](), count: $0.count) }
        let stop = text.encode(SpecialToken.endOfSolution.text)
        for answerModel in AnswerModel.allCases {
            let model = answerModel == .posteriorParameters ? models.posterior : models.reasoning
            let room = model.configuration.contextLength - options.maxAnswerTokens
            var answerPrompts: [[Int32]] = []
            var owners: [(question: Int, trace: Int)] = []
            for (question, questionTraces) in traces.enumerated() where requests[question].answerModel == answerModel {
                let stopCount = traceStop(requests[question].proposal).count
                for (index, trace) in questionTraces.enumerated() where trace.isFinished {
                    let answerPrompt = prompts[question].answerPrompt(thought: Array(trace.tokens.dropLast(stopCount)))
                    guard answerPrompt.count <= room else { continue }
                    answerPrompts += Array(repeating: answerPrompt, count: options.answersPerTrace)
                    owners += Array(repeating: (question, index), count: options.answersPerTrace)
                }
            }
            guard !answerPrompts.isEmpty else { continue }
            // In batches of a bounded size: each sequence holds a cache of its whole prompt, and the answers of a
            // step's traces together would hold several gigabytes of them for a pretrained model.
            var sequences: [SampledSequence] = []
            let answerSeed = Self.answerSeed(seed, model: answerModel)
            for (batch, first) in stride(from: 0, to: answerPrompts.count, by: Self.answersPerBatch).enumerated() {
                let prompts = Array(answerPrompts[first..<min(first + Self.answersPerBatch, answerPrompts.count)])
                let batchSeed =
                    batch == 0 ? answerSeed : SeededGenerator(seed: answerSeed).seed(forStream: UInt64(batch))
                do {
                    sequences += try model.sample(
                        prompts: prompts, options: options.answerSampling(stop: stop, seed: batchSeed))
                } catch {
                    throw .model(error)
                }
            }
            for (owner, sequence) in zip(owners, sequences) {
                let solution = text.plainText(of: sequence.tokens)
                let isCorrect =
                    sequence.isFinished
                    && requests[owner.question].item.isCorrect(ReasoningOutput.finalAnswer(inSolution: solution))
                answers[owner.question][owner.trace].append(
                    SampledAnswer(tokenIDs: sequence.tokens, behaviourLogProbs: sequence.logProbs, isCorrect: isCorrect)
                )
            }
        }
        return answers
    }
}
