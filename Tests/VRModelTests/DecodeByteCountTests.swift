// The byte counts behind the sampling memory bound of `vr bench`, against the buffers decoding really reads.

import Testing
import VRBench

@testable import VRModel

@Suite("decoding byte counts")
struct DecodeByteCountTests {
    /// The reference configurations and a small one; context lengths are multiples of 16, so the caches hold
    /// exactly the context (`CachedAttention.Geometry` rounds up to 16 positions).
    static let configurations =
        [
            TransformerConfiguration(layerCount: 2, width: 32, headCount: 2, contextLength: 32, vocabularySize: 24),
            ReferenceConfiguration.small(vocabularySize: 268).model,
            ReferenceConfiguration.medium(vocabularySize: 268).model,
        ]
        + tinyLlamaFamily.map { configuration in
            var configuration = configuration
            configuration.contextLength = 16
            return configuration
        }

    @Test(
        "the weights counted are the matrices of the parameter layout: attention and MLP projections and the output",
        arguments: configurations)
    func weights(configuration: TransformerConfiguration) throws {
        let layout = ParameterLayout(configuration)
        let matrixSuffixes = [
            "attn.qkv.weight", "attn.proj.weight", "mlp.fc.weight", "mlp.proj.weight", "q_proj.weight", "k_proj.weight",
            "v_proj.weight", "o_proj.weight", "gate_proj.weight", "up_proj.weight", "down_proj.weight",
        ]
        let output = configuration.tiedEmbeddings ? ["wte", "model.embed_tokens.weight"] : ["lm_head.weight"]
        let matrices = layout.views.filter { view in
            output.contains(view.name) || matrixSuffixes.contains { view.name.hasSuffix($0) }
        }
        #expect(matrices.count == (configuration.family == .gpt ? 4 : 7) * configuration.layerCount + 1)
        #expect(ByteCount.decodeWeights(configuration) == Double(4 * matrices.reduce(0) { $0 + $1.count }))
    }

    @Test("the caches counted are the key and value caches decoding allocates", arguments: configurations)
    func caches(configuration: TransformerConfiguration) throws {
        let model = try Transformer(configuration: configuration, seed: 1)
        let state = DecodeState(model: model, slotCount: 3, rowCount: 3, capacity: configuration.contextLength)
        let allocated = (state.keys + state.values).reduce(0) { $0 + $1.count }
        #expect(ByteCount.fullCache(configuration, rows: 3) == Double(4 * allocated))
        // A step at position p reads p + 1 of the context's positions from each cache.
        let step = ByteCount.decodeStep(configuration, rows: 3, position: 4)
        let expected = ByteCount.decodeWeights(configuration) + Double(4 * allocated * 5 / configuration.contextLength)
        #expect(step == expected)
    }
}
