// An experiment's stages (`vr experiment`, and `vr demo`'s built-in one): tasks, the initial models, every arm
// once per seed, and the results file.
//
// Layout of the run directory:
//   experiment.json                  the configuration, as given (or encoded, for a built-in one)
//   data/train.jsonl, data/test.jsonl, data/offline.jsonl (the questions of the trace pools)
//   initial/base, pi, q              stage 0 (a base model, if configured), stage 1 (pi0) and stage 2 (q)
//                                    checkpoints; initial/evaluation.json (and evaluation-greedy.json);
//                                    initial/base-model/evaluation.json, a pretrained base model's own scores
//   pools/SOURCE-seed-S.jsonl        the offline arms' trace pools (q's, pi0's), with build-data's log
//   arms/ARM/seed-S/                 one run: learner/ (metrics, questions, checkpoint) or checkpoint/ (SFT, and
//                                    data.jsonl for an offline arm), the daemons' configurations (learner.json,
//                                    worker-I.json) and logs, run.json (its ArmRun) once finished
//   results.json                     every finished run (ExperimentResults), rewritten after each one
// A run that finished keeps its run.json, so an interrupted experiment continues where it stopped.

import Foundation
import VRCore
import VRModel
import VRRecords
import VRTasks
import VRText
import VRTraining
import VRWorker

/// Runs an experiment's stages in a run directory, skipping what an earlier invocation finished.
public struct ExperimentRunner: Sendable {
    /// The experiment.
    public let configuration: ExperimentConfiguration
    /// The configuration as given, kept as the run directory's `experiment.json`.
    public let configurationText: Data
    /// The run directory.
    public let directory: String
    /// The command line, for the report.
    public let command: String
    /// What starts the learners and workers of the learner arms.
    public let launcher: DaemonLauncher
    /// Where the experiment's records are also kept, if anywhere (`RunRecords`).
    public let records: String?
    /// Receives every progress line.
    public let progress: @Sendable (String) -> Void

    /// A runner; nothing happens until `run`.
    /// - Parameters:
    ///   - configuration: the experiment, validated.
    ///   - configurationText: the configuration file's content; by default the configuration encoded.
    ///   - directory: the run directory.
    ///   - command: the command line, for the report.
    ///   - launcher: what starts the learners and workers.
    ///   - records: where the experiment's records are also kept, and taken from where the run directory lacks them.
    ///   - progress: receives every progress line.
    public init(
        configuration: ExperimentConfiguration, configurationText: Data? = nil, directory: String, command: String,
        launcher: DaemonLauncher, records: String? = nil, progress: @escaping @Sendable (String) -> Void
    ) {
        self.configuration = configuration
        self.configurationText = configurationText ?? Self.encoded(configuration)
        self.directory = directory
        self.command = command
        self.launcher = launcher
        self.records = records
        self.progress = progress
    }

    /// SFT stages and arms write a checkpoint this often (steps), so an interruption costs at most as many.
    static let checkpointEvery = 25
    private var trainTasks: String { directory + "/data/train.jsonl" }
    private var testTasks: String { directory + "/data/test.jsonl" }
    var offlineTasks: String { directory + "/data/offline.jsonl" }
    /// The stage that samples the trace pools, keeping each finished part with the records when there are any.
    var poolStage: TracePoolStage {
        var stage = TracePoolStage(
            directory: directory, configuration: configuration, launcher: launcher, progress: progress)
        if let records {
            let kept = RunRecords(runDirectory: directory, recordsDirectory: records)
            stage.keepRecords = { try kept.keep() }
        }
        return stage
    }
    var initialReasoning: String { directory + "/initial/pi" }

    /// q after stage 2, SFT'd with the posterior's prompt carrying `hint`.
    func initialPosterior(hint: TemplateConfiguration.Hint) -> String {
        directory + (hint == .workedSolution ? "/initial/q" : "/initial/q-\(hint.rawValue)-hint")
    }

    /// Makes `directory` this experiment's run directory, writing the configuration as `experiment.json`, unless the
    /// directory holds another experiment's.
    private func claimDirectory() throws(RunError) {
        let copy = directory + "/experiment.json"
        if let existing = FileManager.default.contents(atPath: copy), existing != configurationText {
            throw .otherExperiment(directory: directory)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try configurationText.write(to: URL(fileURLWithPath: copy), options: .atomic)
        } catch {
            throw .io("cannot write \(copy): \(error.localizedDescription)")
        }
    }

    private static func encoded(_ configuration: ExperimentConfiguration) -> Data {
        (try? prettyJSON(configuration)) ?? Data()
    }

    /// Runs every stage for the arms named in `armNames` (all when empty).
    /// - Parameter armNames: the arms to run; the others contribute only runs an earlier invocation finished.
    /// - Returns: the results, as written to `results.json`.
    /// - Throws: `RunError.unknownArm` for a name the configuration lacks, `.otherExperiment` for a run directory
    ///   that holds another experiment; the errors of the stages.
    @discardableResult
    public func run(armNames: Set<String> = []) throws -> ExperimentResults {
        if let unknown = armNames.subtracting(configuration.arms.map(\.name)).sorted().first {
            throw RunError.unknownArm(unknown)
        }
        let records = records.map { RunRecords(runDirectory: directory, recordsDirectory: $0) }
        if let records, let kept = FileManager.default.contents(atPath: records.recordsDirectory + "/experiment.json"),
            kept != configurationText
        {
            throw RunError.otherRecords(directory: records.recordsDirectory)
        }
        try claimDirectory()
        if let records {
            let restored = try records.restore()
            progress("== records: \(restored) files taken from \(records.recordsDirectory)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let earlier = earlierResults
        let earlierInitialSeconds = earlier?.initial.wallSeconds ?? 0
        let (train, test) = try writeTasks()
        // The base model's own scores need no training: they come first and are kept at once.
        let base = try configuration.baseModel.map { model in
            let cache = directory + "/initial/base-model"
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            progress("== the base model's own scores (its chat format, asked to end with 'Answer: N')")
            let machine = evaluationMachine(cachedIn: cache, earlier: earlier?.base)
            let scores = try evaluation(of: model, style: .plain, cachedIn: cache, test)
            return ArmRun(
                seed: 0, wallSeconds: 0, modelSteps: 0, posteriorSteps: 0, sampledTokens: 0, metricsFile: nil,
                questionsFile: nil, evaluation: scores.sampled, greedyEvaluation: scores.greedy, machine: machine)
        }
        try records?.keep()
        let selected = configuration.arms.filter { armNames.isEmpty || armNames.contains($0.name) }
        let initialSeconds: Double
        let pending = selected.contains { arm in
            configuration.seeds(of: arm).contains { finishedRun(arm, seed: $0) == nil }
        }
        if pending || !initialScoresCached {
            initialSeconds = try trainInitialModels(
                train, earlierSeconds: earlierInitialSeconds, posteriorNeeded: posteriorNeeded(by: selected))
        } else {
            progress("== every selected run finished earlier: the initial models are not needed")
            initialSeconds = earlierInitialSeconds
        }
        let initialMachine = evaluationMachine(cachedIn: directory + "/initial", earlier: earlier?.initial)
        let initialScores = try evaluation(of: initialReasoning, cachedIn: directory + "/initial", test)
        try records?.keep()
        let initial = ArmRun(
            seed: 0, wallSeconds: initialSeconds, modelSteps: configuration.initialSFT.steps, posteriorSteps: 0,
            sampledTokens: 0, metricsFile: nil, questionsFile: nil, evaluation: initialScores.sampled,
            greedyEvaluation: initialScores.greedy, machine: initialMachine)
        // Arms left out by `armNames` contribute the runs an earlier invocation finished.
        var arms = configuration.arms.compactMap { arm -> ArmResult? in
            let runs = configuration.seeds(of: arm).compactMap { finishedRun(arm, seed: $0) }
            return runs.isEmpty ? nil : result(arm, runs: runs)
        }
        var results = makeResults(base: base, initial: initial, arms: arms, test: test)
        var runProgress = ExperimentProgress(totalRuns: selected.reduce(0) { $0 + configuration.seeds(of: $1).count })
        for arm in selected {
            var runs: [ArmRun] = []
            for seed in configuration.seeds(of: arm) {
                let armRun = try run(arm, seed: seed, train: train, test: test, before: runs.last)
                runs.append(armRun)
                progress(runProgress.record(armRun, arm: arm))
                let updated = result(arm, runs: runs)
                if let index = arms.firstIndex(where: { $0.name == arm.name }) {
                    arms[index] = updated
                } else {
                    arms.append(updated)
                }
                let order = configuration.arms.map(\.name)
                arms.sort { (order.firstIndex(of: $0.name) ?? 0) < (order.firstIndex(of: $1.name) ?? 0) }
                results = makeResults(base: base, initial: initial, arms: arms, test: test)
                try write(results)
                try records?.keep()
            }
        }
        progress(
            "experiment finished in \(Int((clock.now - start).inSeconds))s; results in \(directory)/results.json; "
                + "write the report with `vr report --run \(directory)`")
        return results
    }

    // MARK: - Stages

    private func writeTasks() throws -> (train: TaskDataset, test: TaskDataset) {
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let (train, test) = try configuration.taskSplits()
        try train.write(to: trainTasks)
        try test.write(to: testTasks)
        progress("== tasks: \(train.items.count) training and \(test.items.count) held-out questions")
        if !configuration.offlineArms.isEmpty {
            let offline = offlineSplit(train)
            try offline.write(to: offlineTasks)
            progress("== offline arms: trace pools over the first \(offline.items.count) training questions")
        }
        return (train, test)
    }

    /// The training questions the trace pools cover: the first `offline.questions`, by default as many as an online
    /// arm takes.
    private func offlineSplit(_ train: TaskDataset) -> TaskDataset {
        let count =
            configuration.offline.questions ?? configuration.training.modelSteps
            * configuration.training.questionsPerStep
        return TaskDataset(items: Array(train.items.prefix(count)))
    }

    /// One arm with one seed: trains, evaluates and records its run, or reads the record of an earlier invocation.
    /// - Parameters:
    ///   - arm: the arm.
    ///   - seed: the seed.
    ///   - train: the training split.
    ///   - test: the held-out split.
    ///   - before: the arm's run with the previous seed, whose cost this one's is expected to repeat.
    /// - Returns: the run's record, also written to its `run.json`.
    /// - Throws: the errors of sampling, training and evaluating.
    private func run(
        _ arm: ArmConfiguration, seed: UInt64, train: TaskDataset, test: TaskDataset, before: ArmRun?
    ) throws -> ArmRun {
        let runDirectory = self.runDirectory(arm, seed: seed)
        if let finished = finishedRun(arm, seed: seed) {
            progress("== \(arm.name), seed \(seed): finished earlier")
            return finished
        }
        // A learner arm starts over; an SFT or offline arm continues from its last checkpoint.
        if arm.method != .sft && arm.mode == .online { try? FileManager.default.removeItem(atPath: runDirectory) }
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        progress("== \(arm.name), seed \(seed): \(arm.label); \(expectedCost(arm, before: before))")
        // The pool is the offline arms' shared cost, recorded beside it: the arm's own time starts after it.
        let pool = arm.method != .sft && arm.mode == .offline ? try offlinePool(arm, seed: seed) : nil
        let clock = ContinuousClock()
        let start = clock.now
        var run: ArmRun
        if arm.method == .sft || arm.mode == .offline {
            let data: PromptResponseDataset
            var sampledTokens = 0
            var questionsFile: String?
            if let pool {
                let built = try offlineData(arm, seed: seed, pool: pool)
                (data, sampledTokens) = (built.data, built.sampledTokens)
                try data.write(to: runDirectory + "/data.jsonl")
                let relative = "arms/\(arm.name)/seed-\(seed)/questions.jsonl"
                try AtomicFile.writeJSONLines(built.records, to: directory + "/" + relative)
                questionsFile = relative
            } else {
                let (_, renderer) = try ModelText.withTemplates(forModelAt: initialReasoning)
                data = PromptResponseDataset(train, teaching: .reasoning, renderer: renderer)
            }
            if data.examples.isEmpty {
                // RFT whose reference model solved nothing: no update, so the arm's model is pi0.
                progress("\(arm.name), seed \(seed): no example to train on; the arm's model is pi0")
                let scores = try evaluation(of: initialReasoning, cachedIn: directory + "/initial", test)
                run = ArmRun(
                    seed: seed, wallSeconds: 0, modelSteps: 0, posteriorSteps: 0, sampledTokens: sampledTokens,
                    metricsFile: nil, questionsFile: questionsFile, evaluation: scores.sampled,
                    greedyEvaluation: scores.greedy, trainedTokens: 0)
            } else {
                let summary = try trainSFT(arm, seed: seed, data: data, output: runDirectory + "/checkpoint")
                let scores = try evaluation(of: runDirectory + "/checkpoint", cachedIn: nil, test)
                run = ArmRun(
                    seed: seed, wallSeconds: 0, modelSteps: summary.completedSteps, posteriorSteps: 0,
                    sampledTokens: sampledTokens, metricsFile: nil, questionsFile: questionsFile,
                    evaluation: scores.sampled, greedyEvaluation: scores.greedy, trainedTokens: summary.trainedTokens)
            }
        } else {
            let cluster = LearnerCluster(
                directory: runDirectory, tasks: trainTasks, workerCount: configuration.workers, launcher: launcher,
                progress: progress)
            let metrics = try cluster.train(
                models(arm), learner: configuration.learnerConfiguration(for: arm, seed: seed),
                worker: configuration.workerConfiguration(for: arm, seed: seed))
            let relative = "arms/\(arm.name)/seed-\(seed)/learner"
            let scores = try evaluation(of: cluster.learnerRun + "/checkpoint/reasoning", cachedIn: nil, test)
            run = ArmRun(
                seed: seed, wallSeconds: 0, modelSteps: metrics.count { $0.phase == .model },
                posteriorSteps: metrics.count { $0.phase == .posterior },
                sampledTokens: metrics.reduce(0) { $0 + $1.sampledTraceTokens + ($1.sampledAnswerTokens ?? 0) },
                metricsFile: relative + "/metrics.jsonl", questionsFile: relative + "/questions.jsonl",
                evaluation: scores.sampled, greedyEvaluation: scores.greedy,
                trainedTokens: metrics.reduce(0) { $0 + $1.tokens })
        }
        run.wallSeconds = (clock.now - start).inSeconds
        run.machine = RunMachine.current
        try AtomicFile.write(Array(try JSONEncoder().encode(run)), to: runDirectory + "/run.json")
        progress(
            "\(arm.name), seed \(seed): Avg@\(configuration.evaluation.samples) "
                + "\(decimal(run.evaluation.overall.averageAtK, 3)), pass@\(configuration.evaluation.samples) "
                + "\(decimal(run.evaluation.overall.passAtK, 3)) after \(Int(run.wallSeconds))s; sampled "
                + "\(run.sampledTokens) tokens, trained \(run.trainedTokens ?? 0)")
        return run
    }

    private func runDirectory(_ arm: ArmConfiguration, seed: UInt64) -> String {
        directory + "/arms/\(arm.name)/seed-\(seed)"
    }

    /// Whether an earlier invocation cached pi0's held-out scores (and its greedy ones, when asked for).
    private var initialScoresCached: Bool {
        let cached = { (name: String) in FileManager.default.fileExists(atPath: directory + "/initial/" + name) }
        return cached("evaluation.json") && (!configuration.evaluation.greedy || cached("evaluation-greedy.json"))
    }

    /// The record of a run an earlier invocation finished, if there is one.
    func finishedRun(_ arm: ArmConfiguration, seed: UInt64) -> ArmRun? {
        FileManager.default.contents(atPath: runDirectory(arm, seed: seed) + "/run.json").flatMap {
            try? JSONDecoder().decode(ArmRun.self, from: $0)
        }
    }

    /// SFT from pi0 with the arms' step budget: the SFT baseline on the reference thoughts, an offline arm on its
    /// data; an interrupted run continues from its last checkpoint.
    /// - Returns: the steps completed in all, and the tokens trained on (those of this invocation's steps: a
    ///   resumed run does not know the earlier ones').
    private func trainSFT(
        _ arm: ArmConfiguration, seed: UInt64, data: PromptResponseDataset, output: String
    ) throws -> (completedSteps: Int, trainedTokens: Int) {
        let initial = try Transformer(checkpointAt: initialReasoning)
        let (text, _) = try ModelText.withTemplates(forModelAt: initialReasoning)
        var sft = SFTConfiguration()
        sft.model = initial.configuration
        sft.steps = arm.modelSteps ?? configuration.training.modelSteps
        sft.batchSize = configuration.training.questionsPerStep
        sft.learningRate = arm.learningRate ?? configuration.training.learningRate
        // The same schedule and optimizer settings as the learner's arms (warmup, cosine decay to a tenth, weight
        // decay, clipping), from a fresh AdamW state.
        sft.warmupSteps = configuration.training.warmupSteps
        sft.minimumLearningRateRatio = 0.1
        sft.weightDecay = configuration.training.weightDecay
        sft.gradientClipNorm = configuration.training.gradientClipNorm
        sft.seed = seed
        sft.logEvery = 100
        sft.checkpointEvery = Self.checkpointEvery
        let trainer = try SFTTrainer(
            configuration: sft, dataset: data, outputDirectory: output, resume: true, initialModel: initial, text: text)
        if trainer.completedSteps > 0 { progress("continuing from step \(trainer.completedSteps)") }
        let summary = try run(trainer)
        return (trainer.completedSteps, summary.tokenCount)
    }

    /// The initial checkpoints and the hint of `arm`'s learner and workers.
    private func models(_ arm: ArmConfiguration) -> LearnerCluster.Models {
        LearnerCluster.Models(
            reasoning: initialReasoning,
            posterior: arm.posterior == .trained ? initialPosterior(hint: arm.hint) : initialReasoning,
            tokenizer: initialReasoning, hint: arm.hint)
    }

    // MARK: - Results

    private func result(_ arm: ArmConfiguration, runs: [ArmRun]) -> ArmResult {
        let objective = arm.objective
        let samples = arm.method != .sft
        return ArmResult(
            name: arm.name, label: arm.label, groups: arm.groups, method: arm.method.rawValue,
            mode: samples ? arm.mode.rawValue : nil,
            estimator: arm.method == .variational ? objective.estimator.rawValue : nil,
            selection: arm.method == .variational ? objective.selection.rawValue : nil,
            traces: samples ? arm.traces ?? configuration.traces : nil,
            proposal: samples ? objective.proposal.rawValue : nil,
            hint: samples && objective.proposal.isHinted ? arm.hint.rawValue : nil,
            learningRate: arm.learningRate ?? configuration.training.learningRate, runs: runs)
    }

    private func makeResults(base: ArmRun?, initial: ArmRun, arms: [ArmResult], test: TaskDataset) -> ExperimentResults
    {
        let families = Set(test.items.map(\.familyName)).sorted()
        return ExperimentResults(
            name: configuration.name, command: command, configurationFile: "experiment.json",
            machine: RunMachine.current,
            families: families, difficulties: Set(test.items.map(\.difficulty)).sorted(),
            samplesPerQuestion: configuration.evaluation.samples, temperature: configuration.evaluation.temperature,
            base: base, initial: initial, pools: configuration.offlineArms.isEmpty ? nil : poolStage.records(),
            arms: arms, schedule: configuration.training.scheduleDescription())
    }

    /// The machine of the scores cached in `cache`: this one when they are still to be measured, else the one
    /// `earlier` names (nil when the earlier results do not say).
    private func evaluationMachine(cachedIn cache: String, earlier: ArmRun?) -> String? {
        FileManager.default.fileExists(atPath: cache + "/evaluation.json") ? earlier?.machine : RunMachine.current
    }

    /// The results an earlier invocation wrote to the run directory, or nil when there are none to read.
    private var earlierResults: ExperimentResults? {
        guard let data = FileManager.default.contents(atPath: directory + "/results.json") else { return nil }
        return try? JSONDecoder().decode(ExperimentResults.self, from: data)
    }

    private func write(_ results: ExperimentResults) throws {
        try AtomicFile.write(Array(try prettyJSON(results)), to: directory + "/results.json")
    }

    /// Runs an SFT trainer, reporting every 100th step.
    func run(_ trainer: SFTTrainer) throws -> TrainingSummary {
        var log = TrainingLog()
        return try trainer.run { event in
            if case .step(let index, _, _, _, _, _) = event, (index + 1) % 100 != 0 { return }
            progress(log.line(for: event))
        }
    }
}
