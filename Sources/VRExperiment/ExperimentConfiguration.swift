// What `vr experiment` runs: the tasks, the model (the built-in family or a pretrained base model), the initial SFT
// stages, the budget, the arms and the seeds.

import Foundation
import VRCore
import VRLearner
import VRTasks

/// An experiment: every arm trains from the same initial models under the same budget, once per seed.
public struct ExperimentConfiguration: Codable, Sendable, Equatable {
    /// The experiment's name, for the report.
    public var name: String
    /// The task generators, each contributing the same number of questions; empty when `taskFiles` is set.
    public var tasks: [TaskGeneratorConfiguration]
    /// Task files to read instead of generating questions, one pair per family; empty when `tasks` is set.
    public var taskFiles: [TaskFiles] = []
    /// Training questions per task generator or task file.
    public var trainQuestionsPerTask = 3000
    /// Held-out questions per task generator or task file.
    public var testQuestionsPerTask = 200
    /// A pretrained model (a Hugging Face model directory, a `.gguf` file or a checkpoint) that stages 1 and 2
    /// start from, with its tokenizer and chat format; nil for fresh models of the built-in family.
    public var baseModel: String? = nil
    /// The model shape of pi and q when they are of the built-in family (unused with `baseModel`).
    public var model = ModelShape()
    /// Stage 0, optional: a base model with its own way of working; stages 1 and 2 then start from it.
    public var pretraining: PretrainingStage? = nil
    /// Stage 1: pi0 by SFT on the reference thoughts (also the SFT baseline's start).
    public var initialSFT = SFTStage(steps: 300)
    /// Stage 2: q by SFT on the reference thoughts with its hint (the worked solution; the answer for arms hinted so).
    public var posteriorSFT = SFTStage(steps: 1000)
    /// The budget every arm gets.
    public var training = TrainingBudget()
    /// K, traces per question, for arms that do not set their own (by default the learner's).
    public var traces = LearnerConfiguration().tracesPerQuestion
    /// How the offline arms' trace pools are sampled.
    public var offline = OfflineSettings()
    /// How the final models are scored.
    public var evaluation = EvaluationSettings()
    /// Rollout worker processes per learner arm.
    public var workers = 2
    /// One run per arm and seed; the seed drives sampling and data order.
    public var seeds: [UInt64] = [1]
    /// The arms, in report order.
    public var arms: [ArmConfiguration]

    /// An experiment with generated questions and the defaults above for everything else.
    /// - Parameters:
    ///   - name: its name, for the report.
    ///   - tasks: the task generators.
    ///   - arms: the arms, in report order.
    public init(name: String, tasks: [TaskGeneratorConfiguration], arms: [ArmConfiguration]) {
        self.name = name
        self.tasks = tasks
        self.arms = arms
    }

    /// Decodes a configuration; unknown keys are errors.
    ///
    /// `name`, `arms` and one of `tasks` and `taskFiles` are required; the rest have defaults. A base model brings
    /// its own architecture and way of working, so `model` and `pretraining` are errors beside `baseModel`.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        tasks = try container.decode(.tasks, default: [])
        taskFiles = try container.decode(.taskFiles, default: taskFiles)
        trainQuestionsPerTask = try container.decode(.trainQuestionsPerTask, default: trainQuestionsPerTask)
        testQuestionsPerTask = try container.decode(.testQuestionsPerTask, default: testQuestionsPerTask)
        baseModel = try container.decodeIfPresent(String.self, forKey: .baseModel)
        model = try container.decode(.model, default: model)
        pretraining = try container.decodeIfPresent(PretrainingStage.self, forKey: .pretraining)
        if baseModel != nil, let key = [CodingKeys.model, .pretraining].first(where: container.contains) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription:
                    "the base model brings its own architecture and working; remove \"\(key.stringValue)\"")
        }
        initialSFT = try container.decode(.initialSFT, default: initialSFT)
        posteriorSFT = try container.decode(.posteriorSFT, default: posteriorSFT)
        training = try container.decode(.training, default: training)
        traces = try container.decode(.traces, default: traces)
        offline = try container.decode(.offline, default: offline)
        evaluation = try container.decode(.evaluation, default: evaluation)
        workers = try container.decode(.workers, default: workers)
        seeds = try container.decode(.seeds, default: seeds)
        arms = try container.decode([ArmConfiguration].self, forKey: .arms)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, tasks, taskFiles, trainQuestionsPerTask, testQuestionsPerTask, baseModel, model, pretraining
        case initialSFT, posteriorSFT, training
        case traces, offline, evaluation, workers, seeds, arms
    }

    /// Reads and checks a configuration file.
    /// - Parameter path: the JSON file.
    /// - Returns: the configuration.
    /// - Throws: `ExperimentError.unreadable` for a missing or malformed file, `.invalid` for bad values.
    public static func read(from path: String) throws(ExperimentError) -> ExperimentConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let configuration: ExperimentConfiguration
        do { configuration = try JSONDecoder().decode(ExperimentConfiguration.self, from: data) } catch {
            throw .unreadable(path: path, reason: DecodingFailure.message(for: error))
        }
        try configuration.validate()
        return configuration
    }

    /// Checks ranges and consistency.
    /// - Throws: `ExperimentError.invalid` naming the first bad field.
    public func validate() throws(ExperimentError) {
        guard !name.isEmpty else { throw .invalid("name is empty") }
        guard tasks.isEmpty != taskFiles.isEmpty else {
            throw .invalid("give the questions as either tasks (generators) or taskFiles, not both and not neither")
        }
        if let baseModel, baseModel.isEmpty { throw .invalid("baseModel is empty") }
        if pretraining != nil && tasks.isEmpty {
            throw .invalid("pretraining draws its questions from the task generators; it needs tasks, not taskFiles")
        }
        if let empty = taskFiles.flatMap({ [$0.train, $0.test] }).first(where: \.isEmpty) {
            throw .invalid("taskFiles: a path is empty (\"\(empty)\")")
        }
        for task in tasks {
            do { try task.validate() } catch { throw .invalid("tasks: \(error)") }
        }
        let counts = [
            ("trainQuestionsPerTask", trainQuestionsPerTask), ("testQuestionsPerTask", testQuestionsPerTask),
            ("initialSFT.steps", initialSFT.steps), ("initialSFT.batchSize", initialSFT.batchSize),
            ("posteriorSFT.steps", posteriorSFT.steps), ("posteriorSFT.batchSize", posteriorSFT.batchSize),
            ("training.modelSteps", training.modelSteps), ("training.questionsPerStep", training.questionsPerStep),
            ("training.answersPerTrace", training.answersPerTrace),
            ("training.maxTraceTokens", training.maxTraceTokens),
            ("traces", traces), ("evaluation.samples", evaluation.samples),
            ("evaluation.maxResponseTokens", evaluation.maxResponseTokens), ("workers", workers),
        ]
        let pretrainingCounts = pretraining.map { stage in
            [
                ("pretraining.questionsPerTask", stage.questionsPerTask), ("pretraining.sft.steps", stage.sft.steps),
                ("pretraining.sft.batchSize", stage.sft.batchSize),
            ]
        }
        if let (field, value) = (counts + (pretrainingCounts ?? [])).first(where: { $0.1 < 1 }) {
            throw .invalid("\(field) is \(value); at least 1")
        }
        guard workers <= 16 else { throw .invalid("workers is \(workers); at most 16") }
        guard model.width % max(model.heads, 1) == 0, model.layers >= 1, model.heads >= 1, model.context >= 16 else {
            throw .invalid("model: layers and heads at least 1, width divisible by heads, context at least 16")
        }
        guard training.warmupSteps >= 0, training.weightDecay >= 0, training.weightDecay.isFinite,
            training.gradientClipNorm > 0, training.gradientClipNorm.isFinite
        else {
            throw .invalid(
                "training: warmupSteps and weightDecay must be non-negative, gradientClipNorm finite and positive")
        }
        let rates =
            [initialSFT.learningRate, posteriorSFT.learningRate, training.learningRate]
            + arms.compactMap(\.learningRate)
        for rate in rates + (pretraining.map { [$0.sft.learningRate] } ?? []) {
            guard rate.isFinite && rate > 0 else { throw .invalid("learning rates must be finite and positive") }
        }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw .invalid("seeds must be distinct, at least one")
        }
        guard !arms.isEmpty else { throw .invalid("arms is empty") }
        var names = Set<String>()
        for arm in arms {
            try arm.validate()
            guard names.insert(arm.name).inserted else { throw .invalid("arm name \"\(arm.name)\" appears twice") }
            if let extra = arm.seeds?.first(where: { !seeds.contains($0) }) {
                throw .invalid("arm \(arm.name): seed \(extra) is not one of the experiment's seeds")
            }
        }
        if let questions = offline.questions, questions < 1 {
            throw .invalid("offline.questions is \(questions); at least 1")
        }
        guard offline.traceTemperature > 0, offline.traceTemperature.isFinite else {
            throw .invalid("offline.traceTemperature must be finite and positive")
        }
    }
}
