// `vr experiment`'s stages: tasks, the initial models, every arm once per seed, and the results file.
//
// Layout of the run directory:
//   experiment.json                  the configuration, as given
//   data/train.jsonl, data/test.jsonl
//   initial/base, pi, q              stage 0 (a base model, if configured), stage 1 (pi0) and stage 2 (q)
//                                    checkpoints; initial/evaluation.json
//   arms/ARM/seed-S/                 one run: learner/ (metrics, questions, checkpoint) or checkpoint/ (SFT),
//                                    worker and learner logs, run.json (its ArmRun) once finished
//   results.json                     every finished run (ExperimentResults), rewritten after each one
// A run that finished keeps its run.json, so an interrupted experiment continues where it stopped.

import ArgumentParser
import Foundation
import VRCore
import VRExperiment
import VRModel
import VRRecords
import VRReport
import VRTasks
import VRText
import VRTraining
import VRWorker

/// Runs an experiment's stages in a run directory, skipping what an earlier invocation finished.
struct ExperimentRunner {
    let configuration: ExperimentConfiguration
    let directory: String
    /// The command line, for the report.
    let command: String

    private var trainTasks: String { directory + "/data/train.jsonl" }
    private var testTasks: String { directory + "/data/test.jsonl" }
    private var initialReasoning: String { directory + "/initial/pi" }

    /// q after stage 2, SFT'd with the posterior's prompt carrying `hint`.
    private func initialPosterior(hint: TemplateConfiguration.Hint) -> String {
        directory + (hint == .workedSolution ? "/initial/q" : "/initial/q-\(hint.rawValue)-hint")
    }

    /// Runs every stage for the arms named in `armNames` (all when empty).
    func run(armNames: Set<String>) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (train, test) = try writeTasks()
        let initialSeconds = try trainInitialModels(train)
        let initial = ArmRun(
            seed: 0, wallSeconds: initialSeconds, modelSteps: configuration.initialSFT.steps, posteriorSteps: 0,
            sampledTokens: 0, metricsFile: nil, questionsFile: nil,
            evaluation: try evaluation(of: initialReasoning, cachedIn: directory + "/initial/evaluation.json", test))
        // Arms left out by `armNames` contribute the runs an earlier invocation finished.
        var arms = configuration.arms.compactMap { arm -> ArmResult? in
            let runs = configuration.seeds.compactMap { finishedRun(arm, seed: $0) }
            return runs.isEmpty ? nil : result(arm, runs: runs)
        }
        let selected = configuration.arms.filter { armNames.isEmpty || armNames.contains($0.name) }
        var progress = ExperimentProgress(totalRuns: selected.count * configuration.seeds.count)
        for arm in selected {
            var runs: [ArmRun] = []
            for seed in configuration.seeds {
                let armRun = try run(arm, seed: seed, train: train, test: test)
                runs.append(armRun)
                printProgress(progress.record(armRun, arm: arm))
                let updated = result(arm, runs: runs)
                if let index = arms.firstIndex(where: { $0.name == arm.name }) {
                    arms[index] = updated
                } else {
                    arms.append(updated)
                }
                let order = configuration.arms.map(\.name)
                arms.sort { (order.firstIndex(of: $0.name) ?? 0) < (order.firstIndex(of: $1.name) ?? 0) }
                try writeResults(initial: initial, arms: arms, test: test)
            }
        }
        printProgress(
            "experiment finished in \(Int((clock.now - start).inSeconds))s; results in \(directory)/results.json; "
                + "write the report with `vr report --run \(directory)`")
    }

    // MARK: - Stages

    private func writeTasks() throws -> (train: TaskDataset, test: TaskDataset) {
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let (train, test) = try configuration.taskSplits()
        try train.write(to: trainTasks)
        try test.write(to: testTasks)
        printProgress("== tasks: \(train.items.count) training and \(test.items.count) held-out questions")
        return (train, test)
    }

    /// Trains the initial models by SFT and returns the seconds that took.
    ///
    /// Stage 0 (the built-in base model, when configured), stage 1 (pi0) and stage 2 (q), each unless its
    /// checkpoint exists; stages 1 and 2 start from the base model: stage 0's, or the configured pretrained one, in
    /// whose tokenizer and chat format their data is then written.
    private func trainInitialModels(_ train: TaskDataset) throws -> Double {
        var sft = SFTConfiguration()
        sft.logEvery = 100
        let (text, renderer) = try modelText(at: configuration.baseModel)
        if let baseModel = configuration.baseModel {
            let model = try loadModel(baseModel)
            sft.model = model.configuration
            printProgress(
                "== base model \(baseModel): \(model.configuration.family), \(model.parameters.count) parameters")
        } else {
            let shape = configuration.model
            sft.model = TransformerConfiguration(
                layerCount: shape.layers, width: shape.width, headCount: shape.heads, contextLength: shape.context,
                vocabularySize: ByteTokenizer.vocabularySize)
        }
        var seconds = 0.0
        var stages: [(title: String, output: String, data: () throws -> PromptResponseDataset, stage: SFTStage)] = [
            (
                "stage 1: pi0 by SFT on the reference thoughts", initialReasoning,
                { supervisedData(train, posterior: false, renderer: renderer) }, configuration.initialSFT
            )
        ]
        // Stage 2 once per hint an arm prompts a trained q with: the worked solution (the paper's), or the answer.
        let hints = TemplateConfiguration.Hint.allCases.filter { hint in
            hint == .workedSolution || configuration.arms.contains { $0.hint == hint && $0.posterior == .trained }
        }
        for hint in hints {
            var hinted = renderer
            hinted.configuration.hint = hint
            stages.append(
                (
                    "stage 2: q by SFT with the \(hint == .answer ? "final answer" : "worked solution") as its hint",
                    initialPosterior(hint: hint), { supervisedData(train, posterior: true, renderer: hinted) },
                    configuration.posteriorSFT
                ))
        }
        var base = configuration.baseModel
        if let pretraining = configuration.pretraining {
            let data = { [configuration] () throws -> PromptResponseDataset in
                supervisedData(
                    try TaskDataset.generated(
                        pretraining.generators(for: configuration.tasks),
                        countPerConfiguration: pretraining.questionsPerTask, split: .train),
                    posterior: false, renderer: renderer)
            }
            let output = directory + "/initial/base"
            base = output
            stages.insert(
                (
                    "stage 0: the base model's own \(pretraining.thoughtStyle.rawValue) working", output, data,
                    pretraining.sft
                ),
                at: 0)
        }
        for stage in stages {
            let files = [Checkpoint.modelFileName, Checkpoint.configurationFileName].map { stage.output + "/" + $0 }
            guard !files.allSatisfy(FileManager.default.fileExists(atPath:)) else {
                printProgress("== \(stage.title): using \(stage.output)")
                continue
            }
            printProgress("== \(stage.title) (\(stage.stage.steps) steps)")
            sft.steps = stage.stage.steps
            sft.batchSize = stage.stage.batchSize
            sft.learningRate = stage.stage.learningRate
            let startsFromBase = base != nil && stage.output != base
            let trainer = try SFTTrainer(
                configuration: sft, dataset: try stage.data(), outputDirectory: stage.output,
                initialModel: try base.flatMap { startsFromBase ? try loadModel($0) : nil }, text: text)
            seconds += try Self.run(trainer).elapsedSeconds
        }
        return seconds
    }

    /// One arm with one seed: trains, evaluates and records its run, or reads the record of an earlier invocation.
    private func run(
        _ arm: ArmConfiguration, seed: UInt64, train: TaskDataset, test: TaskDataset
    ) throws -> ArmRun {
        let runDirectory = self.runDirectory(arm, seed: seed)
        if let finished = finishedRun(arm, seed: seed) {
            printProgress("== \(arm.name), seed \(seed): finished earlier")
            return finished
        }
        try? FileManager.default.removeItem(atPath: runDirectory)
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        printProgress("== \(arm.name), seed \(seed): \(arm.label)")
        let clock = ContinuousClock()
        let start = clock.now
        var run: ArmRun
        if arm.method == .sft {
            let summary = try trainSFT(arm, seed: seed, train: train, output: runDirectory + "/checkpoint")
            run = ArmRun(
                seed: seed, wallSeconds: 0, modelSteps: summary.stepCount, posteriorSteps: 0, sampledTokens: 0,
                metricsFile: nil, questionsFile: nil,
                evaluation: try evaluation(of: runDirectory + "/checkpoint", cachedIn: nil, test))
        } else {
            let cluster = LearnerCluster(directory: runDirectory, tasks: trainTasks, workerCount: configuration.workers)
            let metrics = try cluster.train(
                configuration.learnerConfiguration(for: arm, seed: seed), learnerOptions: learnerOptions(arm),
                workerOptions: workerOptions(arm), workerSeed: seed &* 1_000)
            let relative = "arms/\(arm.name)/seed-\(seed)/learner"
            run = ArmRun(
                seed: seed, wallSeconds: 0, modelSteps: metrics.count { $0.phase == "model" },
                posteriorSteps: metrics.count { $0.phase == "posterior" },
                sampledTokens: metrics.reduce(0) { $0 + $1.sampledTraceTokens },
                metricsFile: relative + "/metrics.jsonl", questionsFile: relative + "/questions.jsonl",
                evaluation: try evaluation(of: cluster.learnerRun + "/checkpoint/reasoning", cachedIn: nil, test))
        }
        run.wallSeconds = (clock.now - start).inSeconds
        try AtomicFile.write(Array(try JSONEncoder().encode(run)), to: runDirectory + "/run.json")
        printProgress(
            "\(arm.name), seed \(seed): Avg@\(configuration.evaluation.samples) "
                + "\(decimal(run.evaluation.overall.averageAtK, 3)), pass@\(configuration.evaluation.samples) "
                + "\(decimal(run.evaluation.overall.passAtK, 3)) after \(Int(run.wallSeconds))s")
        return run
    }

    private func runDirectory(_ arm: ArmConfiguration, seed: UInt64) -> String {
        directory + "/arms/\(arm.name)/seed-\(seed)"
    }

    /// The record of a run an earlier invocation finished, if there is one.
    private func finishedRun(_ arm: ArmConfiguration, seed: UInt64) -> ArmRun? {
        FileManager.default.contents(atPath: runDirectory(arm, seed: seed) + "/run.json").flatMap {
            try? JSONDecoder().decode(ArmRun.self, from: $0)
        }
    }

    /// The SFT baseline: pi0 trained further on the reference thoughts with the arms' step budget.
    private func trainSFT(
        _ arm: ArmConfiguration, seed: UInt64, train: TaskDataset, output: String
    ) throws -> TrainingSummary {
        let initial = try loadModel(initialReasoning)
        let (text, renderer) = try modelText(at: initialReasoning)
        var sft = SFTConfiguration()
        sft.model = initial.configuration
        sft.steps = configuration.training.modelSteps
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
        let trainer = try SFTTrainer(
            configuration: sft, dataset: supervisedData(train, posterior: false, renderer: renderer),
            outputDirectory: output, initialModel: initial, text: text)
        return try Self.run(trainer)
    }

    /// The checkpoints and the hint of `arm`'s learner; its settings are `ExperimentConfiguration.learnerConfiguration`.
    private func learnerOptions(_ arm: ArmConfiguration) -> [String] {
        [
            "--reasoning", initialReasoning, "--posterior",
            arm.posterior == .trained ? initialPosterior(hint: arm.hint) : initialReasoning, "--hint",
            arm.hint.rawValue,
        ]
    }

    private func workerOptions(_ arm: ArmConfiguration) -> [String] {
        let training = configuration.training
        return [
            "--answers-per-trace", "\(arm.answersPerTrace ?? training.answersPerTrace)", "--max-trace-tokens",
            "\(training.maxTraceTokens)", "--temperature", "\(training.traceTemperature)", "--tokenizer",
            initialReasoning, "--hint", arm.hint.rawValue,
        ]
    }

    /// Avg@k and pass@k of a checkpoint on the test split, read from `cache` when an earlier invocation wrote it.
    private func evaluation(
        of checkpoint: String, cachedIn cache: String?, _ test: TaskDataset
    ) throws -> EvaluationReport {
        if let cache, let data = FileManager.default.contents(atPath: cache),
            let report = try? JSONDecoder().decode(EvaluationReport.self, from: data)
        {
            return report
        }
        let settings = configuration.evaluation
        let (text, renderer) = try modelText(at: checkpoint)
        let evaluator = try ReasoningEvaluator(
            samplesPerQuestion: settings.samples, temperature: settings.temperature,
            maxResponseTokens: settings.maxResponseTokens, renderer: renderer, text: text)
        let report = try evaluator.evaluate(try loadModel(checkpoint), on: test.items, seed: 1)
        if let cache { try AtomicFile.write(Array(try JSONEncoder().encode(report)), to: cache) }
        return report
    }

    // MARK: - Results

    private func result(_ arm: ArmConfiguration, runs: [ArmRun]) -> ArmResult {
        let objective = arm.objective
        let samples = arm.method != .sft
        return ArmResult(
            name: arm.name, label: arm.label, groups: arm.groups, method: arm.method.rawValue,
            estimator: arm.method == .variational ? objective.estimator.rawValue : nil,
            selection: arm.method == .variational ? objective.selection.rawValue : nil,
            traces: samples ? arm.traces ?? configuration.traces : nil,
            proposal: samples ? objective.proposal.rawValue : nil,
            hint: samples && objective.proposal.isHinted ? arm.hint.rawValue : nil,
            learningRate: arm.learningRate ?? configuration.training.learningRate, runs: runs)
    }

    private func writeResults(initial: ArmRun, arms: [ArmResult], test: TaskDataset) throws {
        let families = Set(test.items.map { $0.family?.rawValue ?? "other" }).sorted()
        let results = ExperimentResults(
            name: configuration.name, command: command, configurationFile: "experiment.json",
            machine: "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
                + ProcessInfo.processInfo.operatingSystemVersionString,
            families: families, difficulties: Set(test.items.map(\.difficulty)).sorted(),
            samplesPerQuestion: configuration.evaluation.samples, temperature: configuration.evaluation.temperature,
            initial: initial, arms: arms, schedule: configuration.training.scheduleDescription())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(results)), to: directory + "/results.json")
    }

    /// Runs an SFT trainer, printing every 100th step.
    private static func run(_ trainer: SFTTrainer) throws -> TrainingSummary {
        var log = TrainingLog()
        return try trainer.run { event in
            if case .step(let index, _, _, _, _, _) = event, (index + 1) % 100 != 0 { return }
            printProgress(log.line(for: event))
        }
    }
}
