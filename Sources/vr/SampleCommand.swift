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
            Generation stops at <|endoftext|>, at any --stop text, after --max-new-tokens tokens or at the \
            context length. Use $'...' in the shell to pass a newline, e.g. --prompt $'reverse: abc\\n'.
            """)

    @Option(help: "Checkpoint directory (or its model.safetensors).")
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

    @Flag(help: "Print one JSON object per sample: text, tokens, logProbs, finishReason.")
    var json = false

    func validate() throws {
        guard (1...4096).contains(count) else {
            throw ValidationError("--count must be in 1...4096, got \(count)")
        }
        guard !prompt.isEmpty else { throw ValidationError("--prompt must not be empty") }
        guard stop.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--stop texts must not be empty")
        }
    }

    func run() throws {
        let stored = try Checkpoint.read(from: checkpoint)
        let model = try Transformer(configuration: stored.configuration, parameters: stored.parameters)
        let tokenizer = ByteTokenizer()
        let stops = [[SpecialToken.endOfText.id]] + stop.map(tokenizer.encode)
        let options = SamplingOptions(
            temperature: temperature, topP: topP, maxNewTokens: maxNewTokens, stopSequences: stops,
            seed: seed)
        let prompts = Array(repeating: tokenizer.encode(prompt), count: count)
        let samples = try model.sample(prompts: prompts, options: options)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (index, sample) in samples.enumerated() {
            let text = tokenizer.decodeLossy(sample.tokens)
            let finish = describe(sample.finishReason, stops: stops, tokenizer: tokenizer)
            if json {
                let record = SampleRecord(
                    text: text, tokens: sample.tokens, logProbs: sample.logProbs, finishReason: finish)
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
        _ reason: FinishReason, stops: [[Int32]], tokenizer: ByteTokenizer
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
    let finishReason: String
}
