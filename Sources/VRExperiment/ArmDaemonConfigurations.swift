// The learner and worker configurations of one arm of an experiment: the shared budget and schedule, the arm's own
// settings.

import VRLearner
import VRWorker

extension ExperimentConfiguration {
    /// The configuration `vr learner` runs `arm` with for `seed`: the arm's steps (or the budget's), questions per step and
    /// schedule (warmup, cosine decay to a tenth, weight decay, clipping) for pi and q alike, the arm's K, peak
    /// rate, objective and normalisation, and whether q is trained.
    /// - Parameters:
    ///   - arm: a learner arm (not the SFT arm, which trains without a learner).
    ///   - seed: the run's seed, which orders the questions.
    /// - Returns: the configuration, from `LearnerConfiguration`'s defaults for everything else.
    public func learnerConfiguration(for arm: ArmConfiguration, seed: UInt64) -> LearnerConfiguration {
        var learner = LearnerConfiguration()
        learner.modelSteps = arm.modelSteps ?? training.modelSteps
        learner.questionsPerStep = training.questionsPerStep
        learner.tracesPerQuestion = arm.traces ?? traces
        learner.priorTracesPerQuestion = arm.traces ?? traces
        learner.reasoningOptimizer.learningRate = arm.learningRate ?? training.learningRate
        learner.posteriorOptimizer.learningRate = training.posteriorLearningRate
        for optimizer in [\LearnerConfiguration.reasoningOptimizer, \.posteriorOptimizer] as [WritableKeyPath] {
            learner[keyPath: optimizer].warmupSteps = training.warmupSteps
            learner[keyPath: optimizer].weightDecay = training.weightDecay
            learner[keyPath: optimizer].gradientClipNorm = training.gradientClipNorm
        }
        learner.modelObjective = arm.objective
        learner.normalization = arm.normalization
        learner.trainsPosterior = arm.trainsPosterior
        learner.seed = seed
        return learner
    }

    /// The configuration `vr worker` runs `arm` with for `seed`: the arm's n (or the budget's), the budget's
    /// trace length and temperature, and the seed `seed * 1000` (worker i adds i).
    /// - Parameters:
    ///   - arm: a learner arm.
    ///   - seed: the run's seed.
    /// - Returns: the configuration, from `WorkerConfiguration`'s defaults for everything else.
    public func workerConfiguration(for arm: ArmConfiguration, seed: UInt64) -> WorkerConfiguration {
        var worker = WorkerConfiguration()
        worker.rollout.answersPerTrace = arm.answersPerTrace ?? training.answersPerTrace
        worker.rollout.maxTraceTokens = training.maxTraceTokens
        worker.rollout.traceTemperature = training.traceTemperature
        worker.seed = seed &* 1_000
        return worker
    }
}
