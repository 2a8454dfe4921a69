import Foundation
import Testing
import VRGGUF

/// SmolLM2-135M-Instruct's GGUF file against the values the `gguf` package reads from it
/// (Fixtures/smollm2-expected.json, written by scripts/fixtures/make_gguf_fixtures.py). The model is fetched by
/// scripts/fetch-smollm2.sh; `make test` sets VR_SMOLLM2 to its path, and the test fails if that file is missing.
@Suite("SmolLM2 GGUF file", .enabled(if: ProcessInfo.processInfo.environment["VR_SMOLLM2"] != nil))
struct SmolLM2FileTests {
    struct Expected: Decodable {
        struct Tensor: Decodable {
            let type: String
            let shape: [Int]
            let positions: [Int]
            let values: [Float]
            let sum: Double
        }
        let tensors: [String: Tensor]
    }

    static func expected() throws -> (metadata: [String: Any], tensors: [String: Expected.Tensor]) {
        let path = try #require(
            Bundle.module.path(forResource: "smollm2-expected", ofType: "json", inDirectory: "Fixtures"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [String: Any])
        return (metadata, try JSONDecoder().decode(Expected.self, from: data).tensors)
    }

    static func file() throws -> GGUFFile {
        try GGUFFile(path: try #require(ProcessInfo.processInfo.environment["VR_SMOLLM2"]))
    }

    @Test("the metadata a model loader reads equals the gguf package's")
    func metadataMatches() throws {
        let file = try Self.file()
        let (metadata, _) = try Self.expected()
        #expect(file.metadata["general.architecture"]?.string == metadata["general.architecture"] as? String)
        #expect(file.metadata["tokenizer.ggml.model"]?.string == metadata["tokenizer.ggml.model"] as? String)
        for key in [
            "llama.block_count", "llama.embedding_length", "llama.attention.head_count",
            "llama.attention.head_count_kv", "llama.context_length", "llama.feed_forward_length",
        ] {
            #expect(file.metadata[key]?.int == metadata[key] as? Int, "\(key)")
        }
        for key in ["llama.rope.freq_base", "llama.attention.layer_norm_rms_epsilon"] {
            #expect(file.metadata[key]?.double == metadata[key] as? Double, "\(key)")
        }
        #expect(file.metadata["tokenizer.ggml.tokens"]?.array?.count == metadata["tokenizer.ggml.tokens.count"] as? Int)
    }

    @Test("Q8_0, Q4_1 and F32 tensors dequantize to the gguf package's values")
    func tensorsMatch() throws {
        let file = try Self.file()
        let (_, tensors) = try Self.expected()
        #expect(tensors.count == 5)
        for (name, expected) in tensors {
            let info = try #require(file.tensor(named: name))
            #expect(info.typeName == expected.type, "\(name)")
            #expect(info.shape == expected.shape, "\(name)")
            let values = try file.floats(named: name)
            for (position, value) in zip(expected.positions, expected.values) {
                #expect(values[position].bitPattern == value.bitPattern, "\(name)[\(position)]")
            }
            let sum = values.reduce(0) { $0 + Double($1) }
            #expect(abs(sum - expected.sum) <= 1e-9 * max(1, abs(expected.sum)), "\(name): sum \(sum)")
        }
    }
}
