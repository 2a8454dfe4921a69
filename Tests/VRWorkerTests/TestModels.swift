import VRModel
import VRTasks
import VRText

/// Models with a known behaviour, trained in a moment.
enum TestModels {
    /// A pi that answers "Answer: 7" after any trace: trained on that answer behind random traces.
    static func constantAnswer(prompts: [TaskPrompts], configuration: TransformerConfiguration) throws -> Transformer {
        try trained(configuration: configuration, toSay: ByteTokenizer().encode("Answer: 7<|end_of_solution|>")) {
            generator in
            prompts.map { prompt in
                prompt.answerPrompt(
                    trace: (0..<Int(generator.next() % 6)).map { _ in Int32(48 + generator.next() % 10) })
            }
        }
    }

    /// A q that ends its trace at once: an empty thought after every hinted prompt.
    static func immediateStop(prompts: [TaskPrompts], configuration: TransformerConfiguration) throws -> Transformer {
        try trained(configuration: configuration, toSay: [ByteTokenizer().id(of: .endOfThought)]) { _ in
            prompts.map(\.posteriorPrompt)
        }
    }

    /// A model trained to continue every prefix with `continuation`.
    private static func trained(
        configuration: TransformerConfiguration, toSay continuation: [Int32],
        prefixes: (inout SplitMix) -> [[Int32]]
    ) throws -> Transformer {
        let model = try Transformer(configuration: configuration, seed: 4)
        let optimizer = AdamW(configuration: AdamWConfiguration(weightDecay: 0), layout: model.layout)
        var generator = SplitMix(state: 9)
        for _ in 0..<150 {
            let sequences = (prefixes(&generator) + prefixes(&generator)).map { $0 + continuation }
            let weights = sequences.map { sequence in
                (0..<(sequence.count - 1)).map { $0 + 1 >= sequence.count - continuation.count ? Float(1) : 0 }
            }
            model.zeroGradients()
            _ = try model.train(sequences, targetWeights: weights, normalizer: Float(sequences.count))
            optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: 1e-2)
        }
        return model
    }
}

/// SplitMix64, for test data.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
