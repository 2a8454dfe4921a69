// `vr demo`'s experiment: the method end to end on addition with the built-in model family, as a configuration of
// the same runner as every experiment.

import VRLearner
import VRTasks
import VRWorker

/// The sizes of the demo that its command line can change.
public struct DemoSize: Sendable, Equatable {
    /// Rollout worker processes.
    public var workers = 2
    /// Model-phase steps of the variational training.
    public var modelSteps = 300
    /// SFT steps of pi (stage 1).
    public var reasoningSteps = 300
    /// SFT steps of q (stage 2); q learns the hinted task to convergence.
    public var posteriorSteps = 1000
    /// Training questions.
    public var trainQuestions = 3000
    /// Held-out questions.
    public var testQuestions = 200

    /// The defaults above.
    public init() {}
}

extension ExperimentConfiguration {
    /// The arm of the demo: the variational method with its natural options.
    public static let demoArmName = "variational"

    /// The demo: addition with 1-3 digits (disjoint train and test splits), pi and q of the built-in family
    /// (4 layers, width 128, context 192) trained by SFT, then one variational arm with the learner's and the
    /// workers' defaults, scored before and after by greedy decoding and by Avg@4 / pass@4 at temperature 1.
    /// - Parameter size: what the command line changed.
    /// - Returns: the configuration.
    public static func demo(_ size: DemoSize = DemoSize()) -> ExperimentConfiguration {
        var configuration = ExperimentConfiguration(
            name: "demo", tasks: [TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...3)],
            arms: [ArmConfiguration(name: demoArmName, method: .variational)])
        configuration.trainQuestionsPerTask = size.trainQuestions
        configuration.testQuestionsPerTask = size.testQuestions
        configuration.model.context = 192
        configuration.initialSFT = SFTStage(steps: size.reasoningSteps)
        configuration.posteriorSFT = SFTStage(steps: size.posteriorSteps)
        let learner = LearnerConfiguration()
        let rollout = RolloutOptions()
        configuration.training.modelSteps = size.modelSteps
        configuration.training.questionsPerStep = learner.questionsPerStep
        configuration.training.answersPerTrace = rollout.answersPerTrace
        configuration.training.maxTraceTokens = rollout.maxTraceTokens
        configuration.training.traceTemperature = rollout.traceTemperature
        configuration.evaluation.samples = 4
        configuration.evaluation.temperature = 1
        configuration.evaluation.maxResponseTokens = ReasoningEvaluator.defaultMaxResponseTokens
        configuration.evaluation.greedy = true
        configuration.workers = size.workers
        return configuration
    }
}
