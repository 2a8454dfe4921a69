// Reading a Hugging Face model directory of the Llama family: config.json and safetensors weights (one file or
// shards listed in model.safetensors.index.json), in F32, F16 or BF16.

import Foundation
import VRTensor

/// Hugging Face model directories (`config.json` with a `model_type`, `model.safetensors` or shards).
enum HuggingFaceCheckpoint {
    /// The index of a sharded checkpoint.
    static let indexFileName = "model.safetensors.index.json"

    /// Whether `directory` holds a Hugging Face model: a `config.json` that names a `model_type`.
    static func isModelDirectory(_ directory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: directory + "/" + Checkpoint.configurationFileName),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["model_type"] != nil
    }

    /// Reads the configuration and every weight, converted to float32.
    /// - Parameter directory: the model directory.
    /// - Returns: the checkpoint; its metadata says it came from a Hugging Face directory.
    /// - Throws: `ModelError.invalidCheckpoint` naming the file and the field or tensor at fault.
    static func read(from directory: String) throws(ModelError) -> Checkpoint {
        let configurationPath = directory + "/" + Checkpoint.configurationFileName
        let configuration = try HuggingFaceConfiguration.read(from: configurationPath)
            .transformerConfiguration(path: configurationPath)
        let files = try weightFiles(in: directory)
        var fileOfTensor: [String: SafetensorsFile] = [:]
        for file in files {
            for tensor in file.tensors {
                guard fileOfTensor[tensor.name] == nil else {
                    throw .invalidCheckpoint(path: file.path, reason: "tensor '\(tensor.name)' is in two files")
                }
                fileOfTensor[tensor.name] = file
            }
        }
        let layout = ParameterLayout(configuration)
        let parameters = FloatBuffer(count: layout.parameterCount)
        for view in layout.views {
            guard let file = fileOfTensor.removeValue(forKey: view.name), let tensor = file.tensor(named: view.name)
            else {
                throw .invalidCheckpoint(
                    path: directory,
                    reason: "no tensor named '\(view.name)' in \(files.map(\.path).joined(separator: ", "))")
            }
            guard tensor.shape == view.shape else {
                throw .invalidCheckpoint(
                    path: file.path, reason: "tensor '\(view.name)' has shape \(tensor.shape), expected \(view.shape)")
            }
            try file.convertFloats(
                named: view.name,
                into: UnsafeMutableBufferPointer(rebasing: parameters.buffer[view.offset..<(view.offset + view.count)]))
        }
        // A tied checkpoint may still carry the output weight; old ones carry the rotary frequencies.
        let ignorable = { (name: String) in name == "lm_head.weight" || name.hasSuffix("rotary_emb.inv_freq") }
        if let extra = fileOfTensor.keys.sorted().first(where: { !ignorable($0) }), let file = fileOfTensor[extra] {
            throw .invalidCheckpoint(
                path: file.path, reason: "tensor '\(extra)' is not part of a \(configuration.family) model")
        }
        return Checkpoint(
            configuration: configuration, parameters: parameters, metadata: files.count == 1 ? files[0].metadata : [:])
    }

    /// Writes `config.json` and `model.safetensors` (F32, Hugging Face's names) so that `transformers` loads the
    /// directory with `AutoModelForCausalLM.from_pretrained`.
    /// - Parameters:
    ///   - configuration: a Llama-family architecture.
    ///   - parameters: the parameter buffer, in layout order.
    ///   - directory: the model directory, created if needed.
    ///   - metadata: extra string entries for the safetensors header (`format` is `pt`, as transformers expects).
    /// - Throws: `ModelError.io` if writing fails.
    static func write(
        configuration: TransformerConfiguration, parameters: FloatBuffer, to directory: String,
        metadata: [String: String]
    ) throws(ModelError) {
        var writer = SafetensorsWriter(metadata: metadata)
        writer.metadata["format"] = "pt"
        for view in ParameterLayout(configuration).views {
            writer.append(view.name, shape: view.shape, from: parameters, offset: view.offset)
        }
        try writer.write(to: directory + "/" + Checkpoint.modelFileName)
        let configurationPath = directory + "/" + Checkpoint.configurationFileName
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(HuggingFaceConfiguration(configuration))
        } catch {
            throw .io(path: configurationPath, reason: "cannot encode the configuration: \(error)")
        }
        try AtomicFile.write(Array(data), to: configurationPath)
    }

    /// The weight files: `model.safetensors`, or the shards that the index lists.
    private static func weightFiles(in directory: String) throws(ModelError) -> [SafetensorsFile] {
        let single = directory + "/" + Checkpoint.modelFileName
        if FileManager.default.fileExists(atPath: single) { return [try SafetensorsFile(path: single)] }
        let indexPath = directory + "/" + indexFileName
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw .invalidCheckpoint(
                path: directory, reason: "neither \(Checkpoint.modelFileName) nor \(indexFileName) is there")
        }
        struct Index: Decodable {
            let weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let index: Index
        do {
            index = try JSONDecoder().decode(Index.self, from: data)
        } catch {
            throw .invalidCheckpoint(path: indexPath, reason: "not a safetensors index: \(error)")
        }
        let shards = Set(index.weightMap.values).sorted()
        if let bad = shards.first(where: { $0.contains("/") || $0.hasPrefix(".") || !$0.hasSuffix(".safetensors") }) {
            throw .invalidCheckpoint(path: indexPath, reason: "shard name '\(bad)' is not a file name in the directory")
        }
        var files: [SafetensorsFile] = []
        for shard in shards { files.append(try SafetensorsFile(path: directory + "/" + shard)) }
        return files
    }
}
