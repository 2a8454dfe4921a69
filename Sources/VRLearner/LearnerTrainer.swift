// The learner's optimisation: one step of either phase of [E9] on pi or q, with clipping, AdamW and a schedule.

import VRModel
import VRObjectives
import VRTasks
import VRText
import VRTransport

/// What a step computed, before the service adds lag and throughput.
public struct StepOutcome: Sendable, Equatable {
    /// The weighted loss ([E10]).
    public var loss: Double
    /// The gradient norm before clipping.
    public var gradientNorm: Double
    /// The learning rate used.
    public var learningRate: Float
    /// Model phase: rhoTilde per question and trace ([E4]); posterior phase: wTilde ([E8]).
    public var weights: [[Double]]
    /// Model phase: the bound estimate per question ([E3]); empty for the posterior phase.
    public var bounds: [Double]
    /// Model phase: the effective sample size per question; empty for the posterior phase.
    public var effectiveSampleSizes: [Double]
    /// Tokens in the pass.
    public var tokenCount: Int
    /// Whether the update was applied (a non-finite loss or norm skips it).
    public var applied: Bool
    /// Seconds spent exchanging the shares' outcomes, which includes waiting for the slowest rank (0 on one rank).
    public var rankWaitSeconds: Double = 0
    /// Seconds spent summing the gradients over the ranks (0 on one rank).
    public var allreduceSeconds: Double = 0
}

/// pi and q with their optimizers: takes model-phase steps on pi and posterior-phase steps on q.
public final class LearnerTrainer {
    /// The models.
    public let models: ModelPair
    /// pi's optimizer.
    public let reasoningOptimizer: AdamW
    /// q's optimizer.
    public let posteriorOptimizer: AdamW
    /// The constant C of pi's loss, the mean reference trace-and-answer length ([E10]).
    public let reasoningNormalizer: Double
    /// The constant C of q's loss, the mean reference trace length ([E10]).
    public let posteriorNormalizer: Double
    /// The models' tokenizer and chat format, written beside their checkpoints.
    public let text: ModelText
    /// The ranks each step is split over: this process alone unless `vr learner` runs under MPI.
    public let collective: any Collective
    let configuration: LearnerConfiguration
    /// Model-phase steps taken.
    public private(set) var modelSteps: Int
    /// Posterior-phase steps taken.
    public private(set) var posteriorSteps: Int

    /// Creates a trainer.
    /// - Parameters:
    ///   - models: pi and q, trained in place.
    ///   - optimizers: their AdamW states (fresh, or restored from a checkpoint).
    ///   - stepCounts: steps already taken per phase (for the schedules of a resumed run).
    ///   - configuration: learning rates, normalisation.
    ///   - dataset: the training questions, for the Dr. SFT constants.
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    ///   - collective: the ranks the steps are split over; every rank builds its trainer alike.
    /// - Throws: `LearnerStepError.objectives` for an empty dataset.
    public init(
        models: ModelPair, optimizers: (reasoning: AdamW, posterior: AdamW), stepCounts: (model: Int, posterior: Int),
        configuration: LearnerConfiguration, dataset: TaskDataset, renderer: TemplateRenderer = TemplateRenderer(),
        text: ModelText = .bytes, collective: any Collective = SoloCollective()
    ) throws(LearnerStepError) {
        self.models = models
        self.collective = collective
        self.reasoningOptimizer = optimizers.reasoning
        self.posteriorOptimizer = optimizers.posterior
        self.configuration = configuration
        self.modelSteps = stepCounts.model
        self.posteriorSteps = stepCounts.posterior
        self.text = text
        do {
            reasoningNormalizer = try DrSFTNormalizer.constant(
                responseTokenCounts: dataset.items.map {
                    text.encode($0.reasoningExample(renderer: renderer).response).count
                })
            posteriorNormalizer = try DrSFTNormalizer.constant(
                responseTokenCounts: dataset.items.map {
                    text.encode($0.posteriorExample(renderer: renderer).response).count
                })
        } catch {
            throw .objectives(error)
        }
    }

    /// Creates a trainer whose optimizers start fresh, at step 0 (a new run, or a learner that only collects).
    /// - Parameters:
    ///   - models: pi and q, trained in place.
    ///   - configuration: learning rates, weight decay, normalisation.
    ///   - dataset: the training questions, for the Dr. SFT constants.
    ///   - renderer: the templates.
    ///   - text: the models' tokenizer.
    ///   - collective: the ranks the steps are split over.
    /// - Throws: `LearnerStepError.objectives` for an empty dataset.
    public convenience init(
        models: ModelPair, configuration: LearnerConfiguration, dataset: TaskDataset,
        renderer: TemplateRenderer = TemplateRenderer(), text: ModelText = .bytes,
        collective: any Collective = SoloCollective()
    ) throws(LearnerStepError) {
        try self.init(
            models: models,
            optimizers: (
                AdamW(
                    configuration: configuration.reasoningOptimizer.adamW,
                    layout: models.reasoning.layout),
                AdamW(
                    configuration: configuration.posteriorOptimizer.adamW,
                    layout: models.posterior.layout)
            ),
            stepCounts: (0, 0), configuration: configuration, dataset: dataset, renderer: renderer, text: text,
            collective: collective)
    }

    /// Model phase ([E4]-[E6], [E10]): weights from pi's own forward pass, weighted backward, update of pi.
    ///
    /// On rank 0 of several, the questions are first sent to the other ranks, and each rank trains on its share.
    /// - Parameter questions: the questions with their traces from q.
    /// - Returns: the step's outcome.
    /// - Throws: `LearnerStepError` for traces the model or the objectives refuse; nothing is updated then.
    ///   `LearnerStepError.collective` when the ranks cannot go on together.
    public func modelStep(_ questions: [QuestionForTraining]) throws(LearnerStepError) -> StepOutcome {
        try order(.model(questions))
        return try takeModelStep(questions)
    }

    /// Posterior phase ([E8], [E10]): weighted SFT of q on the prior's traces, update of q.
    /// - Parameter questions: the questions with their traces from pi.
    /// - Returns: the step's outcome.
    /// - Throws: as `modelStep(_:)`.
    public func posteriorStep(_ questions: [QuestionForPosterior]) throws(LearnerStepError) -> StepOutcome {
        try order(.posterior(questions))
        return try takePosteriorStep(questions)
    }

    /// This rank's part of a model-phase step.
    func takeModelStep(_ questions: [QuestionForTraining]) throws(LearnerStepError) -> StepOutcome {
        let pi = models.reasoning
        pi.zeroGradients()
        let objective = configuration.modelObjective
        let tokenCounts = questions.map { ModelPhaseStep.tokenCount(of: $0, objective: objective) }
        let share = share(tokenCounts: tokenCounts)
        let normalizer = DrSFTNormalizer.stepNormalizer(constant: reasoningNormalizer, batchSize: questions.count)
        let local = Result { () throws(LearnerStepError) -> ShareOutcome in
            var outcome = ShareOutcome(indices: [])
            for pass in passes(of: share, tokenCounts: tokenCounts) {
                // The baselines never train q: its parameters are the fixed reference model (pi0) GRPO's KL
                // penalty uses.
                let result = try ModelPhaseStep.run(
                    model: pi, reference: models.posterior, questions: pass.map { questions[$0] },
                    normalizer: normalizer, normalization: configuration.normalization, objective: objective)
                outcome.append(
                    ShareOutcome(
                        indices: pass, weights: result.weights, bounds: result.bounds,
                        effectiveSampleSizes: result.effectiveSampleSizes, loss: result.loss,
                        tokenCount: result.tokenCount))
            }
            return outcome
        }
        let (result, seconds) = try combine(local, questionCount: questions.count, gradients: pi.gradients.buffer)
        let settings = configuration.reasoningOptimizer
        let rate = settings.schedule(totalSteps: configuration.modelSteps).rate(at: modelSteps)
        let update = reasoningOptimizer.update(
            pi, loss: result.loss, learningRate: rate, maxGradientNorm: settings.gradientClipNorm)
        modelSteps += 1
        try compareRanksIfDue()
        return StepOutcome(
            loss: result.loss, gradientNorm: update.gradientNorm, learningRate: rate, weights: result.weights,
            bounds: result.bounds, effectiveSampleSizes: result.effectiveSampleSizes, tokenCount: result.tokenCount,
            applied: update.applied, rankWaitSeconds: seconds.wait, allreduceSeconds: seconds.allreduce)
    }

    /// This rank's part of a posterior-phase step.
    func takePosteriorStep(_ questions: [QuestionForPosterior]) throws(LearnerStepError) -> StepOutcome {
        let q = models.posterior
        q.zeroGradients()
        let tokenCounts = questions.map { question in
            question.traces.reduce(0) { $0 + question.posteriorPromptTokens.count + $1.traceTokens.count }
        }
        let share = share(tokenCounts: tokenCounts)
        let normalizer = DrSFTNormalizer.stepNormalizer(constant: posteriorNormalizer, batchSize: questions.count)
        let local = Result { () throws(LearnerStepError) -> ShareOutcome in
            var outcome = ShareOutcome(indices: [])
            for pass in passes(of: share, tokenCounts: tokenCounts) {
                let result = try PosteriorPhaseStep.run(
                    posterior: q, questions: pass.map { questions[$0] }, normalizer: normalizer)
                outcome.append(ShareOutcome(indices: pass, weights: result.weights, loss: result.loss))
            }
            return outcome
        }
        let (result, seconds) = try combine(local, questionCount: questions.count, gradients: q.gradients.buffer)
        let settings = configuration.posteriorOptimizer
        let rate = settings.schedule(totalSteps: configuration.modelSteps).rate(at: posteriorSteps)
        let update = posteriorOptimizer.update(
            q, loss: result.loss, learningRate: rate, maxGradientNorm: settings.gradientClipNorm)
        posteriorSteps += 1
        try compareRanksIfDue()
        return StepOutcome(
            loss: result.loss, gradientNorm: update.gradientNorm, learningRate: rate, weights: result.weights,
            bounds: [], effectiveSampleSizes: [], tokenCount: tokenCounts.reduce(0, +), applied: update.applied,
            rankWaitSeconds: seconds.wait, allreduceSeconds: seconds.allreduce)
    }
}
