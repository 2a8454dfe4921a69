// The initial models of an experiment: stage 0 (a built-in base model), stage 1 (pi0) and stage 2 (q), trained by
// SFT unless their checkpoints exist, and q only when a pending run needs it.

import Foundation
import VRModel
import VRTasks
import VRText
import VRTraining

extension ExperimentRunner {
    /// Trains the initial models by SFT and returns the seconds all their steps took.
    ///
    /// Stage 0 (the built-in base model, when configured), stage 1 (pi0) and stage 2 (q), each unless its
    /// checkpoint exists; stages 1 and 2 start from the base model: stage 0's, or the configured pretrained one, in
    /// whose tokenizer and chat format their data is then written.
    ///
    /// Stage 2 waits while no pending run needs q: a fresh checkpoint or a new checkout then trains only pi0 for arms
    /// that sample from pi0 or from pools sampled earlier.
    ///
    /// The seconds are those the stages' checkpoints record over every invocation; when a checkpoint predates that
    /// record, `earlierSeconds` (what the run's earlier results measured) plus the seconds trained now. With stage 2
    /// left out, at least `earlierSeconds`, which counted it when an earlier invocation trained it.
    /// - Parameters:
    ///   - train: the training split.
    ///   - earlierSeconds: the initial models' wall time in the run's earlier results, 0 when there are none.
    ///   - posteriorNeeded: whether a pending run samples from or trains q (`posteriorNeeded(by:)`).
    /// - Returns: the initial models' wall time in seconds.
    /// - Throws: the errors of reading the base model and of training.
    func trainInitialModels(_ train: TaskDataset, earlierSeconds: Double, posteriorNeeded: Bool) throws -> Double {
        var sft = SFTConfiguration()
        sft.logEvery = 100
        sft.checkpointEvery = Self.checkpointEvery
        let (text, renderer) = try ModelText.withTemplates(forModelAt: configuration.baseModel)
        if let baseModel = configuration.baseModel {
            let model = try Transformer(checkpointAt: baseModel)
            sft.model = model.configuration
            progress(
                "== base model \(baseModel): \(model.configuration.family), \(model.parameters.count) parameters")
        } else {
            let shape = configuration.model
            sft.model = TransformerConfiguration(
                layerCount: shape.layers, width: shape.width, headCount: shape.heads, contextLength: shape.context,
                vocabularySize: ByteTokenizer.vocabularySize)
        }
        var recordedSeconds: Double? = 0
        var secondsNow = 0.0
        var stages: [(title: String, output: String, data: () throws -> PromptResponseDataset, stage: SFTStage)] = [
            (
                "stage 1: pi0 by SFT on the reference thoughts", initialReasoning,
                { PromptResponseDataset(train, teaching: .reasoning, renderer: renderer) }, configuration.initialSFT
            )
        ]
        // Stage 2 once per hint an arm prompts a trained q with: the worked solution (the paper's), or the answer.
        let hints = TemplateConfiguration.Hint.allCases.filter { hint in
            hint == .workedSolution || configuration.arms.contains { $0.hint == hint && $0.posterior == .trained }
        }
        if !posteriorNeeded {
            progress("== stage 2 (q) is not needed: no selected run samples from q or trains it")
        }
        for hint in hints where posteriorNeeded {
            var hinted = renderer
            hinted.configuration.hint = hint
            stages.append(
                (
                    "stage 2: q by SFT with the \(hint == .answer ? "final answer" : "worked solution") as its hint",
                    initialPosterior(hint: hint),
                    { PromptResponseDataset(train, teaching: .posterior, renderer: hinted) },
                    configuration.posteriorSFT
                ))
        }
        var base = configuration.baseModel
        if let pretraining = configuration.pretraining {
            let data = { [configuration] () throws -> PromptResponseDataset in
                PromptResponseDataset(
                    try TaskDataset.generated(
                        pretraining.generators(for: configuration.tasks),
                        countPerConfiguration: pretraining.questionsPerTask, split: .train),
                    teaching: .reasoning, renderer: renderer)
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
            sft.steps = stage.stage.steps
            sft.batchSize = stage.stage.batchSize
            sft.learningRate = stage.stage.learningRate
            let startsFromBase = base != nil && stage.output != base
            // An interrupted stage continues from its last checkpoint; a finished one is only read back.
            let trainer = try SFTTrainer(
                configuration: sft, dataset: try stage.data(), outputDirectory: stage.output, resume: true,
                initialModel: try base.flatMap { startsFromBase ? try Transformer(checkpointAt: $0) : nil }, text: text)
            if trainer.completedSteps < sft.steps {
                let resumed = trainer.completedSteps > 0 ? ", from step \(trainer.completedSteps)" : ""
                progress("== \(stage.title) (\(stage.stage.steps) steps\(resumed))")
                secondsNow += try run(trainer).elapsedSeconds
            } else {
                progress("== \(stage.title): using \(stage.output)")
            }
            recordedSeconds = recordedSeconds.flatMap { total in trainer.trainingSeconds.map { total + $0 } }
        }
        let measured = recordedSeconds ?? earlierSeconds + secondsNow
        return posteriorNeeded ? measured : max(measured, earlierSeconds)
    }

    /// Whether a run of `arms` not finished yet needs q: an online arm that serves it, or an offline arm whose pool q
    /// samples and the run directory lacks.
    func posteriorNeeded(by arms: [ArmConfiguration]) -> Bool {
        arms.contains { arm in
            configuration.seeds(of: arm).contains { seed in
                guard finishedRun(arm, seed: seed) == nil, arm.method != .sft else { return false }
                if arm.mode == .online { return arm.posterior == .trained }
                let source = arm.poolSource
                return source.proposal == .hintedPosterior
                    && !FileManager.default.fileExists(atPath: poolStage.path(source, seed: seed))
            }
        }
    }
}
