// `vr sample`: generates continuations of a prompt from a checkpoint.

import ArgumentParser
import Foundation
import VRModel
import VRText

/// Loads a checkpoint and samples continuations of one prompt.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Sample continuations of a prompt from a checkpoint.",
        discussion: """
            The checkpoint may be a vr checkpoint, a Hugging Face model directory (Llama, Qwen2, Qwen3) or a .gguf \
            file; its tokenizer comes with it. Generation stops at the model's end of sequence (and, for chat \
            models, the end of the assistant's turn), at any --stop text, after --max-new-tokens tokens or at the \
            context length. --chat writes the prompt as the user's turn of the model's chat format. Log-probs are \
            always those of the untempered model (temperature 1), whatever --temperature samples with. Use $'...' \
            in the shell to pass a newline, e.g. --prompt $'reverse: abc\\n'.
            """)

    @Option(help: "Checkpoint directory (or its model.safetensors), Hugging Face model directory or .gguf file.")
    var checkpoint: String

    @Option(help: "The prompt text.")
    var prompt: String

    @Option(help: "Number of continuations.")
    var count: Int = 1

    @Option(help: "Most tokens generated per continuation.")
    var maxNewTokens: Int = 64

    @Option(help: "Softmax temperature; 0 is greedy.")
    var temperature: Float = 1

    @Option(help: "Nucleus threshold in (0, 1]; 1 is off.")
    var topP: Float = 1

    @Option(help: "Text that ends a continuation (repeatable); <|endoftext|> always does.")
    var stop: [String] = []

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Flag(help: "Wrap the prompt in the model's chat format, as the user's turn.")
    var chat = false

    @Option(help: "The system message of --chat (default: the chat template's own, if it has one).")
    var system: String?

    @Flag(
        help: """
            Print one JSON object per sample: text, tokens, logProbs (at logProbTemperature, always 1), \
            finishReason, promptTokens.
            """)
    var json = false

    func validate() throws {
        guard (1...4096).contains(count) else {
            throw ValidationError("--count must be in 1...4096, got \(count)")
        }
        guard !prompt.isEmpty else { throw ValidationError("--prompt must not be empty") }
        guard stop.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--stop texts must not be empty")
        }
        guard system == nil || chat else { throw ValidationError("--system needs --chat") }
    }

    func run() throws {
        let model = try Transformer(checkpointAt: checkpoint)
        let modelText = try ModelText.load(forModelAt: checkpoint)
        let tokenizer = modelText.tokenizer
        guard tokenizer.vocabularySize <= model.configuration.vocabularySize else {
            throw ValidationError(
                "the tokenizer of \(checkpoint) has \(tokenizer.vocabularySize) ids, the model only "
                    + "\(model.configuration.vocabularySize)")
        }
        var promptText = prompt
        if chat {
            guard let template = modelText.chatTemplate else {
                throw ValidationError("--chat: \(checkpoint) has no chat format (no ChatML template or tokens)")
            }
            promptText = template.render(system: system, user: prompt)
        }
        let stops = modelText.endOfGeneration + stop.map(tokenizer.encode)
        let options = SamplingOptions(
            temperature: temperature, topP: topP, maxNewTokens: maxNewTokens, stopSequences: stops,
            seed: seed)
        let promptTokens = tokenizer.encode(promptText)
        let prompts = Array(repeating: promptTokens, count: count)
        let samples = try model.sample(prompts: prompts, options: options)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (index, sample) in samples.enumerated() {
            let text = tokenizer.decodeLossy(sample.tokens)
            let finish = describe(sample.finishReason, stops: stops, tokenizer: tokenizer)
            if json {
                let record = SampleRecord(
                    text: text, tokens: sample.tokens, logProbs: sample.logProbs, logProbTemperature: 1,
                    finishReason: finish, promptTokens: promptTokens)
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
            } else {
                let mean =
                    sample.logProbs.isEmpty ? 0 : sample.logProbs.reduce(0, +) / Float(sample.logProbs.count)
                print("[\(index)] \(text)")
                print("    finish: \(finish), \(sample.tokens.count) tokens, mean log-prob \(mean)")
            }
        }
    }

    /// The finish reason as text, naming the stop sequence that matched.
    private func describe(
        _ reason: FinishReason, stops: [[Int32]], tokenizer: any Tokenizer
    )
        -> String
    {
        switch reason {
        case .stopSequence(let index):
            let text = stops.indices.contains(index) ? tokenizer.decodeLossy(stops[index]) : "#\(index)"
            return "stop \(text)"
        case .maxNewTokens: return "maxNewTokens"
        case .contextLength: return "contextLength"
        }
    }
}

/// One sample as printed by `--json`.
private struct SampleRecord: Encodable {
    let text: String
    let tokens: [Int32]
    let logProbs: [Float]
    let logProbTemperature: Float
    let finishReason: String
    let promptTokens: [Int32]
}
