// `vr demo`: the whole method on one machine: tasks, SFT of pi and q, then a learner and workers on loopback.

import ArgumentParser
import Foundation
import VRCore
import VRLearner
import VRModel
import VRTasks
import VRText
import VRTraining
import VRTransport
import VRWorker

/// Runs the embedded default end to end and ends with held-out accuracy before and after.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the method end to end on one machine with a built-in task, and report held-out accuracy.",
        discussion: """
            1. generates addition tasks (1-3 digits; disjoint train and test splits); 2. trains the reasoning \
            model pi (stage 1) and the posterior q (stage 2) by SFT, unless --reasoning and --posterior are given; \
            3. starts `vr learner` and N `vr worker` processes on loopback TCP; 4. evaluates pi on the test \
            split before and after. Everything is written to the run directory.
            """)

    @Option(name: .customLong("run"), help: "The run directory (replaced).")
    var runDirectory = "runs/demo"

    @Option(help: "Rollout worker processes.")
    var workers = 2

    @Option(help: "Model-phase steps of the variational training.")
    var modelSteps = 300

    @Option(help: "SFT steps of the reasoning model pi (stage 1).")
    var reasoningSteps = 300

    @Option(help: "SFT steps of the posterior q (stage 2); q learns the hinted task to convergence.")
    var posteriorSteps = 1000

    @Option(help: "Start from this reasoning-model checkpoint instead of stage 1.")
    var reasoning: String?

    @Option(help: "Start from this posterior checkpoint instead of stage 2.")
    var posterior: String?

    @Option(help: "Training questions.")
    var trainQuestions = 3000

    @Option(help: "Held-out questions.")
    var testQuestions = 200

    func validate() throws {
        guard (1...16).contains(workers) else { throw ValidationError("--workers must be in 1...16, got \(workers)") }
        guard modelSteps >= 1, reasoningSteps >= 1, posteriorSteps >= 1, trainQuestions >= 1, testQuestions >= 1
        else {
            throw ValidationError("step and question counts must be at least 1")
        }
        guard (reasoning == nil) == (posterior == nil) else {
            throw ValidationError("give both --reasoning and --posterior, or neither")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        try? FileManager.default.removeItem(atPath: runDirectory)
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        printProgress("== 1. tasks: addition with 1-3 digits")
        let (train, test) = try writeTasks()
        let (pi, q) = try initialModels(train)
        printProgress("== 4. held-out accuracy of pi before variational training")
        let before = try evaluate(pi, on: test)
        printProgress("== 5. variational training: learner and \(workers) workers on loopback")
        var learner = LearnerConfiguration()
        learner.modelSteps = modelSteps
        try LearnerCluster(directory: runDirectory, tasks: runDirectory + "/tasks-train.jsonl", workerCount: workers)
            .train(learner, learnerOptions: ["--reasoning", pi, "--posterior", q])
        printProgress("== 6. held-out accuracy of pi after variational training")
        let after = try evaluate(runDirectory + "/learner/checkpoint/reasoning", on: test)
        printProgress("")
        printProgress(DemoTable(before: before, after: after, testCount: test.items.count).text)
        printProgress("finished in \(Int((clock.now - start).inSeconds))s; everything is in \(runDirectory)")
    }

    private func writeTasks() throws -> (train: TaskDataset, test: TaskDataset) {
        let configuration = TaskGeneratorConfiguration(family: .addition, seed: 1, difficulties: 1...3)
        let train = try TaskDataset.generated([configuration], countPerConfiguration: trainQuestions, split: .train)
        let test = try TaskDataset.generated([configuration], countPerConfiguration: testQuestions, split: .test)
        try train.write(to: runDirectory + "/tasks-train.jsonl")
        try test.write(to: runDirectory + "/tasks-test.jsonl")
        printProgress("\(train.items.count) training and \(test.items.count) held-out questions")
        return (train, test)
    }

    /// The checkpoints of pi and q: given, or trained by SFT on the reference thoughts (stages 1 and 2).
    private func initialModels(_ train: TaskDataset) throws -> (String, String) {
        if let reasoning, let posterior { return (reasoning, posterior) }
        var configuration = SFTConfiguration()
        configuration.model = TransformerConfiguration(
            layerCount: 4, width: 128, headCount: 4, contextLength: 192, vocabularySize: ByteTokenizer.vocabularySize)
        configuration.logEvery = 100
        let stages = [
            ("2. stage 1: SFT of the reasoning model pi on reference thoughts", "pi", false, reasoningSteps),
            (
                "3. stage 2: SFT of the posterior q on thoughts with the worked solution as a hint", "q", true,
                posteriorSteps
            ),
        ]
        for (title, name, isPosterior, steps) in stages {
            printProgress("== \(title) (\(steps) steps)")
            configuration.steps = steps
            let trainer = try SFTTrainer(
                configuration: configuration,
                dataset: supervisedData(train, posterior: isPosterior, renderer: TemplateRenderer()),
                outputDirectory: runDirectory + "/" + name)
            var log = TrainingLog()
            try trainer.run { event in
                if case .step(let index, _, _, _, _, _) = event, (index + 1) % 100 != 0 { return }
                printProgress(log.line(for: event))
            }
        }
        return (runDirectory + "/pi", runDirectory + "/q")
    }

    private func evaluate(_ checkpoint: String, on test: TaskDataset) throws -> DemoScores {
        let model = try loadModel(checkpoint)
        let greedy = try ReasoningEvaluator(samplesPerQuestion: 1, temperature: 0).evaluate(
            model, on: test.items, seed: 1)
        let sampled = try ReasoningEvaluator(samplesPerQuestion: 4, temperature: 1).evaluate(
            model, on: test.items, seed: 1)
        printProgress(
            "greedy \(decimal(greedy.overall.averageAtK, 3)), Avg@4 \(decimal(sampled.overall.averageAtK, 3)), "
                + "pass@4 \(decimal(sampled.overall.passAtK, 3))")
        return DemoScores(greedy: greedy, sampled: sampled)
    }
}
