// Models with a known behaviour for tests, trained in a moment: a pi that always gives the same answer, a q that
// closes its trace at once.

import VRCore
import VRModel
import VRTasks
import VRText

/// Models with a known behaviour, trained in a moment.
public enum TestModels {
    /// A pi that answers "Answer: 7" after any trace: trained on that answer behind random traces.
    /// - Parameters:
    ///   - prompts: the questions whose answer prompts it learns.
    ///   - configuration: a tiny byte-level configuration.
    /// - Returns: the trained model.
    /// - Throws: the model's errors.
    public static func constantAnswer(
        prompts: [TaskPrompts], configuration: TransformerConfiguration
    ) throws -> Transformer {
        try trained(configuration: configuration, toSay: ByteTokenizer().encode("Answer: 7<|end_of_solution|>")) {
            generator in
            prompts.map { prompt in
                prompt.answerPrompt(
                    thought: (0..<Int(generator.next() % 6)).map { _ in Int32(48 + generator.next() % 10) })
            }
        }
    }

    /// A model that ends its thought at once: an empty thought after every hinted prompt (as q) and every reasoning
    /// prompt (as pi).
    /// - Parameters:
    ///   - prompts: the questions whose prompts it learns.
    ///   - configuration: a tiny byte-level configuration.
    /// - Returns: the trained model.
    /// - Throws: the model's errors.
    public static func immediateStop(
        prompts: [TaskPrompts], configuration: TransformerConfiguration
    ) throws -> Transformer {
        try trained(configuration: configuration, toSay: [ByteTokenizer().id(of: .endOfThought)]) { _ in
            prompts.flatMap { [$0.posteriorPrompt, $0.reasoningPrompt] }
        }
    }

    /// A model trained to continue every prefix with `continuation`.
    private static func trained(
        configuration: TransformerConfiguration, toSay continuation: [Int32],
        prefixes: (inout SeededGenerator) -> [[Int32]]
    ) throws -> Transformer {
        let model = try Transformer(configuration: configuration, seed: 4)
        let optimizer = AdamW(configuration: AdamWConfiguration(weightDecay: 0), layout: model.layout)
        var generator = SeededGenerator(seed: 9)
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
