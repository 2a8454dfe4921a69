// `vr sft`: supervised fine-tuning on a prompt/response JSONL file with the Dr. SFT loss.

import ArgumentParser
import Foundation
import VRModel
import VRText
import VRTraining

/// Trains a fresh model on prompt/response pairs and writes a checkpoint.
struct SFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised fine-tuning (Dr. SFT loss) on prompt/response JSONL.",
        discussion: """
            Settings come from the defaults, then --config, then the flags below. The effective \
            configuration is printed as JSON and written to OUTPUT/sft-config.json; the checkpoint \
            (model.safetensors, config.json, optimizer.safetensors) goes to OUTPUT.
            """)

    @Option(
        help: "Prompt/response JSONL file: one {\"prompt\": ..., \"response\": ...} object per line.")
    var data: String

    @Option(help: "Output directory for the checkpoint and sft-config.json.")
    var output: String

    @Option(help: "JSON configuration file (SFTConfiguration; unknown keys are rejected).")
    var config: String?

    @Option(help: "Override the number of optimizer steps.")
    var steps: Int?

    @Option(help: "Override the number of sequences per step.")
    var batchSize: Int?

    @Option(help: "Override the peak learning rate.")
    var learningRate: Float?

    @Option(help: "Override the seed of the initial parameters and the data order.")
    var seed: UInt64?

    @Option(
        help: """
            Start from this model's parameters, its architecture replacing the configured one: a checkpoint, a \
            Hugging Face model directory or a .gguf file (its tokenizer is used too).
            """)
    var initial: String?

    @Flag(
        help:
            "Continue from the checkpoint in the output directory instead of refusing to overwrite it.")
    var resume = false

    func run() throws {
        var configuration = SFTConfiguration()
        if let config { configuration = try SFTConfiguration.load(from: config) }
        if let steps { configuration.steps = steps }
        if let batchSize { configuration.batchSize = batchSize }
        if let learningRate { configuration.learningRate = learningRate }
        if let seed { configuration.seed = seed }
        let initialModel = try initial.map { try Transformer(checkpointAt: $0) }
        if let initialModel { configuration.model = initialModel.configuration }
        try configuration.validate()
        print(configuration.jsonString, terminator: "")
        let dataset = try PromptResponseDataset.read(from: data)
        let text = try initial.map { path throws in try ModelText.load(forModelAt: path) } ?? .bytes
        let trainer = try SFTTrainer(
            configuration: configuration, dataset: dataset, outputDirectory: output, resume: resume,
            initialModel: initialModel, text: text)
        var log = TrainingLog()
        try trainer.run { event in
            print(log.line(for: event))
            fflush(nil)  // nil flushes every stream: progress shows up promptly through pipes too
        }
    }
}
