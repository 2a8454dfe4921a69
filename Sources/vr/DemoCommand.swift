// `vr demo`: the whole method on one machine: tasks, SFT of pi and q, then a learner and workers on loopback.

import ArgumentParser
import Foundation
import VRExperiment

/// Runs the embedded default end to end and ends with held-out accuracy before and after.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the method end to end on one machine with a built-in task, and report held-out accuracy.",
        discussion: """
            1. generates addition tasks (1-3 digits; disjoint train and test splits); 2. trains the reasoning \
            model pi (stage 1) and the posterior q (stage 2) by SFT, unless --reasoning and --posterior are given; \
            3. starts `vr learner` and N `vr worker` processes on loopback TCP; 4. evaluates pi on the test \
            split before and after. It is an experiment (`vr experiment`) with a built-in configuration and one \
            arm: the run directory holds its experiment.json and results.json, and `vr report --run` reads it.
            """)

    @Option(name: .customLong("run"), help: "The run directory (replaced).")
    var runDirectory = "runs/demo"

    @Option(help: "Rollout worker processes.")
    var workers = DemoSize().workers

    @Option(help: "Model-phase steps of the variational training.")
    var modelSteps = DemoSize().modelSteps

    @Option(help: "SFT steps of the reasoning model pi (stage 1).")
    var reasoningSteps = DemoSize().reasoningSteps

    @Option(help: "SFT steps of the posterior q (stage 2); q learns the hinted task to convergence.")
    var posteriorSteps = DemoSize().posteriorSteps

    @Option(help: "Start from this reasoning-model checkpoint instead of stage 1.")
    var reasoning: String?

    @Option(help: "Start from this posterior checkpoint instead of stage 2.")
    var posterior: String?

    @Option(help: "Training questions.")
    var trainQuestions = DemoSize().trainQuestions

    @Option(help: "Held-out questions.")
    var testQuestions = DemoSize().testQuestions

    /// The demo's sizes from the options.
    private var size: DemoSize {
        var size = DemoSize()
        (size.workers, size.modelSteps, size.reasoningSteps, size.posteriorSteps) =
            (workers, modelSteps, reasoningSteps, posteriorSteps)
        (size.trainQuestions, size.testQuestions) = (trainQuestions, testQuestions)
        return size
    }

    func validate() throws {
        do { try ExperimentConfiguration.demo(size).validate() } catch { throw ValidationError(error.description) }
        guard (reasoning == nil) == (posterior == nil) else {
            throw ValidationError("give both --reasoning and --posterior, or neither")
        }
    }

    func run() throws {
        try? FileManager.default.removeItem(atPath: runDirectory)
        if let reasoning, let posterior {
            // Stages 1 and 2 are skipped for checkpoints that are already in place.
            try FileManager.default.createDirectory(
                atPath: runDirectory + "/initial", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: reasoning, toPath: runDirectory + "/initial/pi")
            try FileManager.default.copyItem(atPath: posterior, toPath: runDirectory + "/initial/q")
        }
        let results = try ExperimentRunner(
            configuration: .demo(size), directory: runDirectory, command: "vr demo", launcher: .running,
            progress: printProgress
        ).run()
        printProgress("")
        printProgress(DemoTable(results)?.text ?? "the results lack the demo's scores")
    }
}
