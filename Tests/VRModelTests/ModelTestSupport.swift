import VRCore
import VRModel
import VRTensor

/// A tiny architecture for unit tests: every kernel runs, nothing takes long in a debug build.
let tinyConfiguration = TransformerConfiguration(
    layerCount: 2, width: 16, headCount: 2, contextLength: 12, vocabularySize: 24)

/// A model whose every parameter (biases and norm scales included) is random, so that every gradient path
/// carries signal.
func randomizedModel(
    _ configuration: TransformerConfiguration = tinyConfiguration, seed: UInt64
) throws
    -> Transformer
{
    let model = try Transformer(configuration: configuration, seed: seed)
    var generator = SeededGenerator(seed: seed &+ 1)
    for view in model.layout.views {
        for index in view.offset..<(view.offset + view.count) {
            let isScale =
                view.name.hasSuffix("ln_1.weight") || view.name.hasSuffix("ln_2.weight")
                || view.name == "ln_f.weight" || view.name.hasSuffix("norm.weight")
            model.parameters[index] = (isScale ? 1 : 0) + 0.2 * generator.nextNormal()
        }
    }
    return model
}

/// Random token sequences of the given lengths.
func randomSequences(lengths: [Int], vocabularySize: Int, seed: UInt64) -> [[Int32]] {
    var generator = SeededGenerator(seed: seed)
    return lengths.map { length in (0..<length).map { _ in Int32(generator.next() % UInt64(vocabularySize)) } }
}

/// Tiny models of the Llama family: grouped-query attention (two and four query heads per key/value head), a head
/// width other than width / heads (Qwen3), an MLP width that is not a multiple of the width, tied and separate
/// output projections.
let tinyLlamaFamily: [TransformerConfiguration] = [
    TransformerConfiguration(
        family: .llama, layerCount: 2, width: 16, headCount: 4, keyValueHeadCount: 2, headWidth: 4, hiddenWidth: 24,
        contextLength: 12, vocabularySize: 24, ropeTheta: 10_000, normEpsilon: 1e-5, tiedEmbeddings: false),
    TransformerConfiguration(
        family: .qwen2, layerCount: 2, width: 16, headCount: 4, keyValueHeadCount: 1, headWidth: 4, hiddenWidth: 20,
        contextLength: 12, vocabularySize: 24, ropeTheta: 1_000_000, normEpsilon: 1e-6, tiedEmbeddings: true),
    TransformerConfiguration(
        family: .qwen3, layerCount: 2, width: 16, headCount: 2, keyValueHeadCount: 1, headWidth: 6, hiddenWidth: 24,
        contextLength: 12, vocabularySize: 24, ropeTheta: 10_000, normEpsilon: 1e-6, tiedEmbeddings: false),
]
