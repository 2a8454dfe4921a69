import Foundation
import Testing
import VRTensor

@testable import VRModel

/// Llama-family checkpoints written as Hugging Face directories read back exactly; with `VR_EXPORT_HF` set to a
/// directory they are kept there, with `vr`'s logits beside them, for `scripts/fixtures/check_hf_export.py` to load
/// with `transformers` (its result is committed as `Fixtures/pretrained/export-check.json`).
@Suite("Hugging Face directories written")
struct HuggingFaceExportTests {
    @Test(
        "a trained step of each tiny model is written, read back bitwise, and its logits are kept for transformers",
        arguments: ["llama", "qwen2", "qwen3"])
    func roundTrip(name: String) throws {
        let source = try Checkpoint.read(from: try PretrainedCheckpointTests.fixture(name))
        let model = try Transformer(configuration: source.configuration, parameters: source.parameters)
        let sequences: [[Int32]] = [[5, 17, 99, 3, 42, 8, 120], [1, 2, 3]]
        model.zeroGradients()
        _ = try model.train(
            sequences, targetWeights: sequences.map { [Float](repeating: 1, count: $0.count - 1) }, normalizer: 9)
        let optimizer = AdamW(configuration: AdamWConfiguration(), layout: model.layout)
        optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: 1e-2)
        let exportRoot = ProcessInfo.processInfo.environment["VR_EXPORT_HF"]
        let directory =
            (exportRoot
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("vr-hf-\(UUID().uuidString)").path)
            + "/" + name
        defer { if exportRoot == nil { try? FileManager.default.removeItem(atPath: directory) } }
        try Checkpoint.write(
            configuration: model.configuration, parameters: model.parameters, to: directory, metadata: ["step": "1"])
        let written = try Checkpoint.read(from: directory)
        #expect(written.configuration == model.configuration)
        #expect(written.parameters.array.map(\.bitPattern) == model.parameters.array.map(\.bitPattern))
        #expect(written.metadata["step"] == "1" && written.metadata["format"] == "pt")
        let logits = try model.logits(sequences)
        let record: [String: [[Float]]] = ["logits": logits, "sequences": sequences.map { $0.map(Float.init) }]
        try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: directory + "/vr-logits.json"))
    }
}
