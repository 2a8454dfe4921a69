import Foundation
import Synchronization
import Testing
import VRModel
import VRTasks
import VRTensor
import VRText
import VRTransport

@testable import VRLearner

/// A learner split over ranks trains as one process does: each rank takes a share of every step's questions, the
/// gradients are summed, and every rank takes the same AdamW step.
@Suite("learner ranks")
struct RankSplitTests {
    let configuration = TransformerConfiguration(
        layerCount: 1, width: 16, headCount: 2, contextLength: 48, vocabularySize: ByteTokenizer.vocabularySize)

    func trainer(
        _ collective: any Collective = SoloCollective(), rankCheckEvery: Int = 1,
        maxTokensPerPass: Int = LearnerConfiguration().maxTokensPerPass
    ) throws -> LearnerTrainer {
        let dataset = try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...1)], countPerConfiguration: 4,
            split: .train)
        let models = ModelPair(
            reasoning: try Transformer(configuration: configuration, seed: 1),
            posterior: try Transformer(configuration: configuration, seed: 2))
        var settings = LearnerConfiguration()
        settings.rankCheckEvery = rankCheckEvery
        settings.maxTokensPerPass = maxTokensPerPass
        return try LearnerTrainer(models: models, configuration: settings, dataset: dataset, collective: collective)
    }

    /// Five questions of different lengths, so that the shares differ in size; the third has no correct answer, so
    /// its bound is -infinity ([E3]).
    func modelQuestions(step: Int) -> [QuestionForTraining] {
        (0..<5).map { question in
            QuestionForTraining(
                questionID: "q\(question)", promptTokens: (0...question).map { Int32(40 + $0 + step) },
                traces: (0..<3).map { trace in
                    let length = 1 + (question + trace + step) % 4
                    return TraceForTraining(
                        traceTokens: (0..<length).map { Int32(60 + $0 * 3 + trace) },
                        logQ: (0..<length).map { -0.5 - Float($0 + trace) / 4 }, answerOpening: [33],
                        referenceAnswer: [Int32(50 + question)],
                        correctAnswers: question == 2 ? 0 : (question + trace) % 3,
                        answerCount: 2)
                })
        }
    }

    func posteriorQuestions(step: Int) -> [QuestionForPosterior] {
        (0..<3).map { question in
            QuestionForPosterior(
                posteriorPromptTokens: (0...question + 1).map { Int32(70 + $0 + step) },
                traces: (0..<2).map { trace in
                    PriorTrace(
                        traceTokens: (0..<(2 + trace + question)).map { Int32(80 + $0) },
                        correctAnswers: (trace + question + step) % 2, sampledAnswers: 1)
                })
        }
    }

    /// Runs three rounds of a posterior and a model step on `trainer` (rank 0 of its group).
    func train(_ trainer: LearnerTrainer) throws -> [StepOutcome] {
        var outcomes: [StepOutcome] = []
        for step in 0..<3 {
            outcomes.append(try trainer.posteriorStep(posteriorQuestions(step: step)))
            outcomes.append(try trainer.modelStep(modelQuestions(step: step)))
        }
        return outcomes
    }

    /// Rank 0 trains on the caller's thread while the other ranks follow on threads of their own.
    func trainSplit(
        over size: Int, rank0: (LearnerTrainer) throws -> Void
    ) throws -> (
        trainers: [LearnerTrainer], followerErrors: [String]
    ) {
        let trainers = try LocalCollective.group(size: size).map { try trainer($0) }
        let errors = Mutex<[String]>([])
        let finished = DispatchGroup()
        for trainer in trainers.dropFirst() {
            // Each follower's trainer belongs to its thread alone until the thread ends.
            nonisolated(unsafe) let follower = trainer
            finished.enter()
            Thread {
                do {
                    try follower.joinRanks()
                    try follower.follow()
                } catch { errors.withLock { $0.append("\(error)") } }
                finished.leave()
            }.start()
        }
        try rank0(trainers[0])
        finished.wait()
        return (trainers, errors.withLock { $0 })
    }

    @Test(
        "[E4] [E8] [E10] 2 and 3 ranks: every rank's parameters, weights and losses equal one process's",
        arguments: [2, 3])
    func splitEqualsOneProcess(ranks: Int) throws {
        let solo = try trainer()
        let expected = try train(solo)
        var outcomes: [StepOutcome] = []
        let (trainers, errors) = try trainSplit(over: ranks) { rank0 in
            try rank0.joinRanks()
            outcomes = try train(rank0)
            try rank0.releaseRanks()
        }
        #expect(errors.isEmpty, "\(errors)")
        // Summation order differs between the split and the whole batch: the tolerance is a few float32 roundings
        // of the parameters' scale, far below one step's change (the learning rate, 5e-4 at most).
        let tolerance: Float = 2e-6
        for trainer in trainers {
            for (split, whole) in [
                (trainer.models.reasoning, solo.models.reasoning), (trainer.models.posterior, solo.models.posterior),
            ] {
                let difference = zip(split.parameters.array, whole.parameters.array).map { abs($0 - $1) }.max() ?? 0
                #expect(difference <= tolerance, "largest parameter difference \(difference)")
            }
            #expect(trainer.modelSteps == 3 && trainer.posteriorSteps == 3)
        }
        // The ranks agree bit for bit: they added the same sums and took the same steps.
        #expect(Set(trainers.map(\.models.reasoning.parameterFingerprint)).count == 1)
        #expect(Set(trainers.map(\.models.posterior.parameterFingerprint)).count == 1)
        for (split, whole) in zip(outcomes, expected) {
            #expect(split.tokenCount == whole.tokenCount)
            #expect(abs(split.loss - whole.loss) <= 1e-5 * max(1, abs(whole.loss)), "\(split.loss) vs \(whole.loss)")
            #expect(split.weights.count == whole.weights.count)
            for (splitWeights, wholeWeights) in zip(split.weights, whole.weights) {
                #expect(zip(splitWeights, wholeWeights).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(splitWeights)")
            }
            #expect(zip(split.bounds, whole.bounds).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-4 }, "\(split.bounds)")
            #expect(split.bounds.count == whole.bounds.count)
        }
        // The step was split: with 5 questions, every rank had a share.
        #expect(outcomes.allSatisfy { $0.rankWaitSeconds > 0 && $0.allreduceSeconds > 0 })
    }

    @Test("a share that fails on one rank skips the step on every rank, naming that rank; the run goes on")
    func failedShareSkipsEverywhere() throws {
        // The split gives the longer question to rank 0 and the shorter, broken one to rank 1.
        let all = modelQuestions(step: 0)
        var broken = all[0]
        broken.traces = [broken.traces[0]]
        broken.traces[0].logQ.append(-1)
        let questions = [all[4], broken]
        var failure: LearnerStepError?
        let (trainers, errors) = try trainSplit(over: 2) { rank0 in
            try rank0.joinRanks()
            let before = rank0.models.reasoning.parameterFingerprint
            do { _ = try rank0.modelStep(questions) } catch let error as LearnerStepError { failure = error }
            #expect(rank0.models.reasoning.parameterFingerprint == before)
            _ = try rank0.modelStep(modelQuestions(step: 1))
            try rank0.releaseRanks()
        }
        #expect(errors.isEmpty, "\(errors)")
        guard case .onRank(1, let message) = failure else {
            Issue.record("expected rank 1's failure, got \(String(describing: failure))")
            return
        }
        #expect(message.contains("logQ values"), "\(message)")
        #expect(trainers.allSatisfy { $0.modelSteps == 1 })
        #expect(Set(trainers.map(\.models.reasoning.parameterFingerprint)).count == 1)
    }

    @Test("ranks whose parameters differ stop at the next comparison, naming the rank and the model")
    func divergedRanksStop() throws {
        var failure: LearnerStepError?
        let (_, errors) = try trainSplit(over: 2) { rank0 in
            do {
                try rank0.joinRanks()
                rank0.models.posterior.parameters[3] += 1e-3
                _ = try rank0.modelStep(modelQuestions(step: 0))
            } catch let error as LearnerStepError { failure = error }
        }
        guard case .collective(.mismatch(let message)) = failure else {
            Issue.record("expected a mismatch, got \(String(describing: failure))")
            return
        }
        #expect(message.contains("rank 1 differs from rank 0 after 1 model and 0 posterior steps"), "\(message)")
        #expect(message.contains("q's parameters") && !message.contains("pi's"), "\(message)")
        #expect(errors.count == 1 && errors[0].contains("q's parameters"), "\(errors)")
    }

    @Test("the split balances tokens, gives every question to one rank, and is the same on every rank")
    func shares() {
        let counts = [5, 1, 9, 3, 3, 7]
        let split = RankShares(tokenCounts: counts, rankCount: 2).indices
        #expect(split.flatMap { $0 }.sorted() == Array(counts.indices))
        // Largest first onto the lightest rank: the loads differ by at most the largest question.
        let loads = split.map { $0.reduce(0) { $0 + counts[$1] } }
        #expect(loads.max()! - loads.min()! <= counts.max()!, "\(loads)")
        #expect(RankShares(tokenCounts: [4], rankCount: 3).indices == [[0], [], []])
    }
}
