import Testing
import VRCore
import VRTensor
import VRTestSupport

@testable import VRModel

/// The Llama family's contracts: the whole model's gradient against finite differences, decoding from the KV
/// cache against the full forward pass, sampling's log-probabilities against scoring's.
@Suite("Llama-family models")
struct LlamaFamilyTests {
    @Test(
        "[E10] analytic gradient of the weighted NLL equals finite differences for every tensor",
        arguments: tinyLlamaFamily)
    func gradientMatchesFiniteDifferences(configuration: TransformerConfiguration) throws {
        let model = try randomizedModel(configuration, seed: 31)
        let sequences = randomSequences(lengths: [9, 5], vocabularySize: 24, seed: 32)
        var generator = SeededGenerator(seed: 33)
        let weights: [[Float]] = sequences.map { sequence in
            (1..<sequence.count).map { _ -> Float in generator.nextUniform() * 2 }
        }
        let normalizer: Float = 5
        func loss() -> Double {
            let logProbs = try! model.forward(sequences)
            return zip(weights.joined(), logProbs.joined()).reduce(0) {
                $0 - Double($1.0) * Double($1.1) / Double(normalizer)
            }
        }
        model.zeroGradients()
        let result = try model.train(sequences, targetWeights: weights, normalizer: normalizer)
        #expect(abs(result.loss - loss()) < 1e-5 * abs(result.loss))
        for view in model.layout.views {
            let indices = (0..<5).map { _ in view.offset + Int(generator.next() % UInt64(view.count)) }
            let numeric = FiniteDifferences.gradient(
                of: model.parameters.pointer, at: indices, epsilon: 1e-2, loss: loss)
            let analytic = indices.map { Double(model.gradients[$0]) }
            let error = FiniteDifferences.maxRelativeError(analytic, numeric, floor: 1e-3)
            #expect(error < 2e-2, "\(configuration.family) \(view.name): analytic \(analytic) numeric \(numeric)")
        }
    }

    @Test("incremental logits from the KV cache equal the full forward pass", arguments: tinyLlamaFamily)
    func incrementalLogitsMatchFullForward(configuration: TransformerConfiguration) throws {
        let model = try randomizedModel(configuration, seed: 34)
        let sequences = randomSequences(lengths: [12, 12, 12], vocabularySize: 24, seed: 35)
        let full = try model.logits(sequences).flatMap { $0 }
        let state = DecodeState(model: model, slotCount: 3, rowCount: 3, capacity: 12)
        var worst: Float = 0
        for position in 0..<12 {
            let logits = model.decodeStep(
                tokens: TokenBuffer(sequences.map { $0[position] }), slots: TokenBuffer([2, 0, 1]),
                positions: TokenBuffer([Int32](repeating: Int32(position), count: 3)), state: state)
            for row in 0..<3 {
                for token in 0..<24 {
                    worst = max(worst, abs(logits[row * 24 + token] - full[(row * 12 + position) * 24 + token]))
                }
            }
        }
        #expect(worst < 1e-4, "\(configuration.family): largest difference \(worst)")
    }

    @Test(
        "sampled tokens' log-probabilities equal the scored ones, prompts of several lengths",
        arguments: tinyLlamaFamily)
    func sampleMatchesScore(configuration: TransformerConfiguration) throws {
        let model = try randomizedModel(configuration, seed: 36)
        let prompts = randomSequences(lengths: [1, 4, 4, 6], vocabularySize: 24, seed: 37)
        let samples = try model.sample(prompts: prompts, options: SamplingOptions(maxNewTokens: 6, seed: 38))
        let scored = try model.score(zip(prompts, samples).map { $0 + $1.tokens })
        for (index, (prompt, sample)) in zip(prompts, samples).enumerated() {
            #expect(!sample.tokens.isEmpty)
            let expected = scored[index].suffix(sample.tokens.count)
            for (sampled, scoredValue) in zip(sample.logProbs, expected) {
                #expect(abs(sampled - scoredValue) < 1e-4, "\(configuration.family) prompt \(prompt)")
            }
        }
    }

    @Test("the layout names tensors as Hugging Face does and ties or separates the output")
    func layoutNames() {
        let llama = ParameterLayout(tinyLlamaFamily[0])
        #expect(llama.views.first?.name == "model.embed_tokens.weight")
        #expect(llama.views.last?.name == "lm_head.weight")
        #expect(llama.view(named: "model.layers.1.self_attn.k_proj.weight")?.shape == [8, 16])
        #expect(llama.view(named: "model.layers.0.mlp.down_proj.weight")?.shape == [16, 24])
        #expect(llama.view(named: "model.layers.0.self_attn.q_proj.bias") == nil)
        let qwen2 = ParameterLayout(tinyLlamaFamily[1])
        #expect(qwen2.outputWeight == qwen2.tokenEmbedding)
        #expect(qwen2.view(named: "model.layers.0.self_attn.v_proj.bias")?.shape == [4])
        let qwen3 = ParameterLayout(tinyLlamaFamily[2])
        #expect(qwen3.view(named: "model.layers.0.self_attn.q_norm.weight")?.shape == [6])
        #expect(qwen3.view(named: "model.layers.0.self_attn.o_proj.weight")?.shape == [16, 12])
    }

    @Test("configurations the architecture cannot build are refused, naming the field")
    func invalidConfigurations() {
        var oddHead = tinyLlamaFamily[0]
        oddHead.headWidth = 5
        #expect(throws: ModelError.invalidConfiguration("headWidth must be even for rotary embeddings, got 5")) {
            try oddHead.validate()
        }
        var badGroups = tinyLlamaFamily[0]
        badGroups.keyValueHeadCount = 3
        #expect(throws: ModelError.self) { try badGroups.validate() }
        var untiedGPT = tinyConfiguration
        untiedGPT.tiedEmbeddings = false
        #expect(throws: ModelError.self) { try untiedGPT.validate() }
    }
}
