// The learner configuration of one arm of an experiment: the shared budget and schedule, the arm's own settings.

import VRLearner

extension ExperimentConfiguration {
    /// The configuration `vr learner` runs `arm` with for `seed`: the budget's steps, questions per step and
    /// schedule (warmup, cosine decay to a tenth, weight decay, clipping) for pi and q alike, the arm's K, peak
    /// rate, objective and normalisation, and whether q is trained.
    /// - Parameters:
    ///   - arm: a learner arm (not the SFT arm, which trains without a learner).
    ///   - seed: the run's seed, which orders the questions.
    /// - Returns: the configuration, from `LearnerConfiguration`'s defaults for everything else.
    public func learnerConfiguration(for arm: ArmConfiguration, seed: UInt64) -> LearnerConfiguration {
        var learner = LearnerConfiguration()
        learner.modelSteps = training.modelSteps
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
}
