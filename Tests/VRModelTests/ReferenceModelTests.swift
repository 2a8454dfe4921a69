import Foundation
import Testing
import VRTensor

@testable import VRModel

/// Compares the model with an independent NumPy implementation of the same architecture.
/// The fixture is written by `Tests/VRModelTests/Fixtures/generate_reference.py` (run it to regenerate).
@Suite("NumPy reference model")
struct ReferenceModelTests {
    @Test("logits and next-token log-probs equal the NumPy reference to 1e-4 relative error")
    func logitsMatchNumPy() throws {
        let url = try #require(
            Bundle.module.url(
                forResource: "reference_model", withExtension: "safetensors",
                subdirectory: "Fixtures"))
        let file = try SafetensorsFile(path: url.path)
        let configuration = try JSONDecoder().decode(
            TransformerConfiguration.self, from: Data(try #require(file.metadata["config"]).utf8))
        let layout = ParameterLayout(configuration)
        let parameters = FloatBuffer(count: layout.parameterCount)
        for view in layout.views {
            try file.copyFloats(
                named: view.name,
                into: UnsafeMutableBufferPointer(start: parameters.pointer + view.offset, count: view.count))
        }
        let model = try Transformer(configuration: configuration, parameters: parameters)
        let tokens = try file.int32s(named: "fixture.tokens")
        let time = configuration.contextLength
        let sequences = stride(from: 0, to: tokens.count, by: time).map { Array(tokens[$0..<($0 + time)]) }
        let logProbs = try model.forward(sequences)
        let expectedLogits = try file.floats(named: "fixture.logits")
        let logits = try model.logits(sequences).flatMap { $0 }
        let scale = expectedLogits.map(abs).max() ?? 1
        let worstLogit = expectedLogits.indices.map { abs(logits[$0] - expectedLogits[$0]) }.max() ?? 0
        #expect(worstLogit / scale < 1e-4)
        let expectedLogProbs = try file.floats(named: "fixture.next_token_logprobs")
        let flatLogProbs = logProbs.flatMap { $0 }
        let worstLogProb = zip(flatLogProbs, expectedLogProbs).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
        #expect(flatLogProbs.count == expectedLogProbs.count)
        #expect(worstLogProb < 1e-4)
    }
}
