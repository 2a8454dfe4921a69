import Foundation
import Testing
import VRTensor

@testable import VRModel

/// Malformed and unsupported Hugging Face directories and GGUF files are refused with the file and the fault.
@Suite("pretrained checkpoints that cannot be read")
struct PretrainedRefusalTests {
    /// A copy of the tiny Llama fixture whose config.json is changed by `edit` (a JSON object).
    static func editedCopy(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let source = try PretrainedCheckpointTests.fixture("llama")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-hf-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: source, toPath: directory)
        let configPath = directory + "/config.json"
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any]
        )
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: configPath))
        return directory
    }

    /// The reason `Checkpoint.read` gives for `path`.
    static func refusal(_ path: String) -> String? {
        do {
            _ = try Checkpoint.read(from: path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(
        "unsupported configurations are refused naming the field",
        arguments: [
            ("model_type", #""gemma""#, "model_type \"gemma\" is not supported"),
            ("rope_scaling", #"{"rope_type": "llama3", "factor": 8}"#, "rope scaling \"llama3\""),
            ("use_sliding_window", "true", "use_sliding_window true is not supported"),
            ("num_experts", "8", "num_experts 8"),
            ("hidden_act", #""gelu""#, "hidden_act \"gelu\""),
            ("attention_bias", "true", "attention_bias true"),
            ("mlp_bias", "true", "mlp_bias true"),
            ("head_dim", "15", "headWidth must be even"),
            ("num_key_value_heads", "3", "keyValueHeadCount 3"),
        ])
    func unsupportedConfiguration(key: String, jsonValue: String, expected: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(jsonValue.utf8), options: .fragmentsAllowed)
        let directory = try Self.editedCopy { $0[key] = value }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reason = try #require(Self.refusal(directory))
        #expect(reason.contains(expected), "\(reason)")
        #expect(reason.contains(directory + "/config.json"))
    }

    @Test("a missing field, a misshapen tensor, a missing tensor and a foreign tensor are named")
    func weights() throws {
        let noLayers = try Self.editedCopy { $0.removeValue(forKey: "num_hidden_layers") }
        defer { try? FileManager.default.removeItem(atPath: noLayers) }
        #expect(Self.refusal(noLayers)?.contains("\"num_hidden_layers\" is missing") == true)
        // Three layers where the weights have two: the third block's tensors are missing.
        let deeper = try Self.editedCopy { $0["num_hidden_layers"] = 3 }
        defer { try? FileManager.default.removeItem(atPath: deeper) }
        #expect(Self.refusal(deeper)?.contains("no tensor named 'model.layers.2.input_layernorm.weight'") == true)
        let wider = try Self.editedCopy { $0["intermediate_size"] = 100 }
        defer { try? FileManager.default.removeItem(atPath: wider) }
        #expect(Self.refusal(wider)?.contains("has shape [96, 64], expected [100, 64]") == true)
        // One layer where the weights have two: the second block's tensors are foreign.
        let shallower = try Self.editedCopy { $0["num_hidden_layers"] = 1 }
        defer { try? FileManager.default.removeItem(atPath: shallower) }
        #expect(Self.refusal(shallower)?.contains("tensor 'model.layers.1.") == true)
    }

    @Test("truncated weights and a GGUF file that is not one are refused naming the file")
    func truncatedFiles() throws {
        let directory = try Self.editedCopy { _ in }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = directory + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: weights))
        #expect(Self.refusal(directory)?.contains(weights) == true)
        let gguf = directory + "/model.gguf"
        try Data("GGUF not really".utf8).write(to: URL(fileURLWithPath: gguf))
        let reason = Self.refusal(gguf)
        #expect(reason?.contains(gguf) == true && reason?.contains("not a valid GGUF file") == true, "\(reason ?? "")")
    }
}
