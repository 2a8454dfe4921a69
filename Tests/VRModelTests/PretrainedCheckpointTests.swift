import Foundation
import Testing
import VRTensor

@testable import VRModel

/// Hugging Face directories and GGUF files against `transformers` (fixtures from
/// `scripts/fixtures/make_model_fixtures.py`, run outside CI).
@Suite("pretrained checkpoints")
struct PretrainedCheckpointTests {
    /// What `transformers` computed for one tiny checkpoint.
    struct Expected: Decodable {
        let sequences: [[Int32]]
        let logits: [[[Float]]]
        let logProbs: [[Float]]

        enum CodingKeys: String, CodingKey {
            case sequences, logits
            case logProbs = "log_probs"
        }
    }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(
            Bundle.module.url(forResource: "pretrained", withExtension: nil, subdirectory: "Fixtures"))
        return url.path + "/" + name
    }

    @Test(
        "Llama, Qwen2 and Qwen3 directories (F32, BF16, sharded) give transformers' logits to 1e-4 relative",
        arguments: ["llama", "qwen2", "qwen3", "hf-bf16", "llama-sharded"])
    func logitsMatchTransformers(name: String) throws {
        let directory = try Self.fixture(name)
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json")))
        let checkpoint = try Checkpoint.read(from: directory)
        let model = try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
        let logits = try model.logits(expected.sequences)
        var worst: Float = 0
        for (actual, reference) in zip(logits, expected.logits) {
            let flat = reference.flatMap { $0 }
            #expect(actual.count == flat.count)
            for (value, expectedValue) in zip(actual, flat) {
                worst = max(worst, abs(value - expectedValue) / max(abs(expectedValue), 1))
            }
        }
        #expect(worst < 1e-4, "\(name): largest relative difference \(worst)")
        let logProbs = try model.score(expected.sequences.filter { $0.count > 1 })
        let expectedLogProbs = expected.logProbs.filter { !$0.isEmpty }
        for (actual, reference) in zip(logProbs, expectedLogProbs) {
            #expect(actual.count == reference.count)
            for (value, expectedValue) in zip(actual, reference) {
                #expect(abs(value - expectedValue) <= 1e-4 * max(abs(expectedValue), 1), "\(name)")
            }
        }
    }

    @Test("each family's configuration is read from config.json as transformers wrote it")
    func configurations() throws {
        let qwen3 = try Checkpoint.read(from: try Self.fixture("qwen3")).configuration
        #expect(qwen3.family == .qwen3 && qwen3.headWidth == 24 && qwen3.headCount == 4 && qwen3.keyValueHeadCount == 2)
        #expect(qwen3.ropeTheta == 1_000_000 && qwen3.normEpsilon == 1e-6 && !qwen3.tiedEmbeddings)
        let qwen2 = try Checkpoint.read(from: try Self.fixture("qwen2")).configuration
        #expect(qwen2.family == .qwen2 && qwen2.tiedEmbeddings && qwen2.keyValueHeadCount == 1)
        let llama = try Checkpoint.read(from: try Self.fixture("llama-sharded")).configuration
        #expect(llama.family == .llama && llama.hiddenWidth == 96 && llama.vocabularySize == 128)
    }
}
