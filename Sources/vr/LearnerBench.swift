// `vr bench --suite learner`: the learner's steps on synthetic batches, in one process or split over the MPI ranks
// `mpirun` started, with the time the ranks spend exchanging and summing.

import Foundation
import VRBench
import VRCore
import VRLearner
import VRModel
import VRTasks
import VRTensor
import VRText
import VRWire

/// Rounds of one posterior-phase and one model-phase step on seeded synthetic questions; every rank builds the same
/// models and questions, rank 0 orders the steps and reports.
struct LearnerBench {
    /// A checkpoint, Hugging Face directory or .gguf file; the built-in M configuration when nil.
    var modelPath: String?
    /// Timed rounds (one untimed round comes first).
    var rounds: Int
    /// Questions per step.
    var questionsPerStep = 8
    /// K traces per question.
    var traces = 4
    /// Tokens of each prompt.
    var promptTokens = 64
    /// Tokens of each trace, fewer where the model's context is shorter.
    var traceTokens = 128
    /// Tokens of each sampled answer.
    var answerTokens = 8
    /// The learner's budget of one forward and backward pass.
    var maxTokensPerPass = LearnerConfiguration().maxTokensPerPass
    /// Where rank 0 writes pi's and q's parameters after the last round (raw little-endian float32), if anywhere.
    var parametersPath: String?

    /// What the bench measured, per step of each phase (medians over the timed rounds).
    struct Result: Codable {
        var machine: String
        var model: String
        var ranks: Int
        var threadsPerRank: Int
        var parameterCount: Int
        var questionsPerStep: Int
        /// The learner's budget of one forward and backward pass.
        var maxTokensPerPass: Int
        var modelStepSeconds: Double
        var modelTokensPerSecond: Double
        var modelAllreduceSeconds: Double
        var modelRankWaitSeconds: Double
        var posteriorStepSeconds: Double
        var posteriorAllreduceSeconds: Double
        /// The gradient each allreduce sums, in bytes: float32 per parameter of the trained model.
        var gradientBytes: Int
        /// What each rank sends per allreduce with a ring algorithm: 2 (N - 1) / N of the gradient.
        var ringBytesPerRank: Int
        /// Rank 0's peak resident memory.
        var peakResidentMebibytes: Double
    }

    /// Runs the rounds on this rank.
    /// - Parameter ranks: this process's place among the ranks.
    /// - Returns: the measurements on rank 0, nil on the others.
    /// - Throws: when the model cannot be loaded, its context is too short, or a step or the ranks fail.
    func run(ranks: LearnerRanks) throws -> Result? {
        let (text, renderer) = try ModelText.withTemplates(forModelAt: modelPath)
        let models = ModelPair(reasoning: try model(seed: 1), posterior: try model(seed: 2))
        // A model of a shorter context gets shorter traces.
        let contextLength = models.reasoning.configuration.contextLength
        var bench = self
        bench.traceTokens = min(traceTokens, contextLength - promptTokens - 1 - answerTokens)
        guard bench.traceTokens >= 1 else {
            throw LearnerBenchError("the model's context of \(contextLength) tokens is too short for the bench")
        }
        return try bench.measure(models: models, text: text, renderer: renderer, ranks: ranks)
    }

    private func measure(
        models: ModelPair, text: ModelText, renderer: TemplateRenderer, ranks: LearnerRanks
    ) throws -> Result? {
        let dataset = try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...2)], countPerConfiguration: 16,
            split: .train)
        var configuration = LearnerConfiguration()
        configuration.maxTokensPerPass = maxTokensPerPass
        let trainer = try LearnerTrainer(
            models: models, configuration: configuration, dataset: dataset, renderer: renderer, text: text,
            collective: ranks.collective)
        try trainer.joinRanks()
        guard ranks.servesWorkers else {
            try trainer.follow()
            return nil
        }
        var generator = SeededGenerator(seed: 0xBE4C)
        let vocabulary = models.reasoning.configuration.vocabularySize
        var model: [StepOutcome] = []
        var posterior: [StepOutcome] = []
        var modelSeconds: [Double] = []
        var posteriorSeconds: [Double] = []
        for round in 0...rounds {
            let started = ContinuousClock.now
            let posteriorOutcome = try trainer.posteriorStep(posteriorQuestions(&generator, vocabulary: vocabulary))
            let between = ContinuousClock.now
            let modelOutcome = try trainer.modelStep(modelQuestions(&generator, vocabulary: vocabulary))
            guard round > 0 else { continue }
            posteriorSeconds.append((between - started).inSeconds)
            modelSeconds.append((ContinuousClock.now - between).inSeconds)
            posterior.append(posteriorOutcome)
            model.append(modelOutcome)
        }
        try trainer.releaseRanks()
        if let parametersPath {
            var bytes = Data()
            for buffer in [models.reasoning.parameters, models.posterior.parameters] {
                bytes.append(UnsafeBufferPointer(buffer.buffer))
            }
            try bytes.write(to: URL(fileURLWithPath: parametersPath), options: .atomic)
        }
        let parameterCount = models.reasoning.layout.parameterCount
        let size = ranks.collective.size
        let modelStep = median(modelSeconds)
        return Result(
            machine: MachineDescription.current.summary,
            model: modelPath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "M",
            ranks: size, threadsPerRank: ComputePool.shared.threadCount, parameterCount: parameterCount,
            questionsPerStep: questionsPerStep, maxTokensPerPass: maxTokensPerPass,
            modelStepSeconds: modelStep,
            modelTokensPerSecond: Double(model[0].tokenCount) / modelStep,
            modelAllreduceSeconds: median(model.map(\.allreduceSeconds)),
            modelRankWaitSeconds: median(model.map(\.rankWaitSeconds)),
            posteriorStepSeconds: median(posteriorSeconds),
            posteriorAllreduceSeconds: median(posterior.map(\.allreduceSeconds)),
            gradientBytes: 4 * parameterCount, ringBytesPerRank: 4 * parameterCount * 2 * (size - 1) / size,
            peakResidentMebibytes: ResidentMemory.peakMebibytes)
    }

    private func model(seed: UInt64) throws -> Transformer {
        if let modelPath { return try Transformer(checkpointAt: modelPath) }
        return try Transformer(
            configuration: ReferenceConfiguration.medium(vocabularySize: ByteTokenizer.vocabularySize).model, seed: seed
        )
    }

    private func tokens(_ count: Int, _ generator: inout SeededGenerator, vocabulary: Int) -> [Int32] {
        (0..<count).map { _ in Int32(Int.random(in: 0..<vocabulary, using: &generator)) }
    }

    /// Questions of the model phase: K traces each, every trace with one sampled answer, half of them correct.
    private func modelQuestions(_ generator: inout SeededGenerator, vocabulary: Int) -> [QuestionForTraining] {
        (0..<questionsPerStep).map { question in
            QuestionForTraining(
                questionID: "q\(question)", promptTokens: tokens(promptTokens, &generator, vocabulary: vocabulary),
                traces: (0..<traces).map { trace in
                    let answer = tokens(answerTokens, &generator, vocabulary: vocabulary)
                    let correct = (question + trace) % 2
                    return TraceForTraining(
                        traceTokens: tokens(traceTokens, &generator, vocabulary: vocabulary),
                        logQ: (0..<traceTokens).map { _ in -Float.random(in: 0.5...4, using: &generator) },
                        answerOpening: tokens(1, &generator, vocabulary: vocabulary), referenceAnswer: answer,
                        answers: [
                            SampledAnswer(
                                tokenIDs: answer, behaviourLogProbs: Array(repeating: -1, count: answerTokens),
                                isCorrect: correct == 1)
                        ], correctAnswers: correct, answerCount: 1)
                })
        }
    }

    /// Questions of the posterior phase: M = K traces from the prior each, half of them correct.
    private func posteriorQuestions(_ generator: inout SeededGenerator, vocabulary: Int) -> [QuestionForPosterior] {
        (0..<questionsPerStep).map { question in
            QuestionForPosterior(
                posteriorPromptTokens: tokens(promptTokens, &generator, vocabulary: vocabulary),
                traces: (0..<traces).map { trace in
                    PriorTrace(
                        traceTokens: tokens(traceTokens, &generator, vocabulary: vocabulary),
                        correctAnswers: (question + trace) % 2, sampledAnswers: 1)
                })
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// A learner bench that cannot run as asked.
struct LearnerBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
