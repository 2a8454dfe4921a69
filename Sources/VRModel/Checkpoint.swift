// Model checkpoints: a directory holding model.safetensors (parameters + config) and config.json.

import Foundation
import VRTensor

/// A transformer's configuration and parameters as stored on disk, readable by Python's `safetensors`.
///
/// A checkpoint directory holds:
/// - `model.safetensors`: one F32 tensor per `ParameterLayout` view, named as in the layout, and
///   metadata `format` = `vr-transformer`, `format_version` = `1`, `config` = the configuration as
///   compact JSON (authoritative), plus any caller entries;
/// - `config.json`: the same configuration, pretty-printed, for people and tools;
/// - optionally `optimizer.safetensors` (see `writeOptimizerState`).
///
/// Each file is replaced atomically. The pair is not: a crash between the two renames can leave a
/// `config.json` from the previous checkpoint, which `read` then reports as a disagreement.
public struct Checkpoint: Sendable {
    /// File name of the parameters.
    public static let modelFileName = "model.safetensors"
    /// File name of the human-readable configuration.
    public static let configurationFileName = "config.json"
    /// Value of the `format` metadata entry.
    public static let format = "vr-transformer"
    /// Value of the `format_version` metadata entry this build writes and reads.
    public static let formatVersion = "1"
    /// Metadata keys that `write` sets itself.
    public static let reservedMetadataKeys: Set<String> = ["format", "format_version", "config"]

    /// The architecture.
    public let configuration: TransformerConfiguration
    /// All parameters in `ParameterLayout(configuration)` order.
    public let parameters: FloatBuffer
    /// Every metadata entry of `model.safetensors`, including `format`, `format_version` and `config`.
    public let metadata: [String: String]

    // MARK: - Writing

    /// Writes `model.safetensors` and `config.json` into `directory`, creating it if needed: a `vr` checkpoint for
    /// the GPT family, a Hugging Face model directory that `transformers` loads for the Llama family.
    /// - Precondition: `parameters.count == ParameterLayout(configuration).parameterCount`.
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - parameters: the parameter buffer, in layout order.
    ///   - directory: the checkpoint directory.
    ///   - metadata: extra string entries (e.g. step, run id); keys must not be reserved.
    /// - Throws: `ModelError.invalidConfiguration` for an invalid configuration, `ModelError.invalidInput`
    ///   for a reserved metadata key, `ModelError.io` if writing fails.
    public static func write(
        configuration: TransformerConfiguration, parameters: FloatBuffer, to directory: String,
        metadata: [String: String] = [:]
    ) throws(ModelError) {
        try configuration.validate()
        let layout = ParameterLayout(configuration)
        precondition(
            parameters.count == layout.parameterCount,
            "parameters hold \(parameters.count) values, the configuration needs \(layout.parameterCount)")
        if let key = metadata.keys.sorted().first(where: reservedMetadataKeys.contains) {
            throw .invalidInput("checkpoint metadata key '\(key)' is reserved")
        }
        try createDirectory(directory)
        guard configuration.family == .gpt else {
            try HuggingFaceCheckpoint.write(
                configuration: configuration, parameters: parameters, to: directory, metadata: metadata)
            return
        }
        var writer = SafetensorsWriter(metadata: metadata)
        writer.metadata["format"] = format
        writer.metadata["format_version"] = formatVersion
        writer.metadata["config"] = try json(configuration, pretty: false, path: directory)
        for view in layout.views {
            writer.append(view.name, shape: view.shape, from: parameters, offset: view.offset)
        }
        try writer.write(to: directory + "/" + modelFileName)
        let configurationPath = directory + "/" + configurationFileName
        try AtomicFile.write(
            Array(json(configuration, pretty: true, path: configurationPath).utf8), to: configurationPath)
    }

    // MARK: - Reading

    /// Reads and validates a checkpoint: a `vr` checkpoint, a Hugging Face model directory of the Llama family
    /// (`config.json` with a `model_type`) or a llama.cpp `.gguf` file, converted to float32.
    ///
    /// For a `vr` checkpoint the configuration comes from the metadata of `model.safetensors`; `config.json`, if
    /// present, must agree with it. The tensors must be exactly the layout's, with the layout's shapes.
    /// - Parameter path: the checkpoint directory, its `model.safetensors` file, a Hugging Face model directory
    ///   or a `.gguf` file.
    /// - Returns: the configuration, parameters and metadata.
    /// - Throws: `ModelError.invalidCheckpoint` naming the file and what is wrong with it,
    ///   `ModelError.io` if a file cannot be read.
    public static func read(from path: String) throws(ModelError) -> Checkpoint {
        if path.hasSuffix(".gguf") { return try GGUFCheckpoint.read(from: path) }
        if HuggingFaceCheckpoint.isModelDirectory(path) { return try HuggingFaceCheckpoint.read(from: path) }
        let (directory, modelPath) = resolve(path)
        let file = try SafetensorsFile(path: modelPath)
        let configuration = try configuration(in: file)
        try checkConfigurationFile(directory + "/" + configurationFileName, agreesWith: configuration)
        let layout = ParameterLayout(configuration)
        try checkTensors(of: file, match: layout)
        let parameters = FloatBuffer(count: layout.parameterCount)
        for view in layout.views {
            let destination = UnsafeMutableBufferPointer(
                rebasing: parameters.buffer[view.offset..<(view.offset + view.count)])
            try file.copyFloats(named: view.name, into: destination)
        }
        return Checkpoint(configuration: configuration, parameters: parameters, metadata: file.metadata)
    }

    // MARK: - Helpers

    /// The directory and model file named by `path` (a directory, or a file inside one).
    private static func resolve(_ path: String) -> (directory: String, modelPath: String) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return (AtomicFile.directoryPath(of: path), path)
        }
        return (path, path + "/" + modelFileName)
    }

    /// The configuration in the file's metadata, after checking that this is a vr checkpoint.
    private static func configuration(in file: SafetensorsFile) throws(ModelError) -> TransformerConfiguration {
        func invalid(_ reason: String) -> ModelError { .invalidCheckpoint(path: file.path, reason: reason) }
        guard let fileFormat = file.metadata["format"] else {
            throw invalid("not a vr checkpoint: the metadata has no \"format\" entry (expected \"\(format)\")")
        }
        guard fileFormat == format else {
            throw invalid("not a vr checkpoint: format is \"\(fileFormat)\", expected \"\(format)\"")
        }
        guard file.metadata["format_version"] == formatVersion else {
            let found = file.metadata["format_version"].map { "\"\($0)\"" } ?? "missing"
            throw invalid("format_version is \(found); this build reads version \(formatVersion)")
        }
        guard let text = file.metadata["config"] else { throw invalid("the metadata has no \"config\" entry") }
        let configuration: TransformerConfiguration
        do {
            configuration = try JSONDecoder().decode(TransformerConfiguration.self, from: Data(text.utf8))
        } catch {
            throw invalid("the \"config\" metadata is not a transformer configuration: \(text)")
        }
        do {
            try configuration.validate()
        } catch {
            throw invalid("the \"config\" metadata is invalid: \(error)")
        }
        return configuration
    }

    /// Checks that `config.json`, if it exists, decodes to `configuration`.
    private static func checkConfigurationFile(
        _ path: String, agreesWith configuration: TransformerConfiguration
    )
        throws(ModelError)
    {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let written = try? JSONDecoder().decode(TransformerConfiguration.self, from: data) else {
            throw .invalidCheckpoint(path: path, reason: "config.json is not a transformer configuration")
        }
        guard written == configuration else {
            let expected = (try? json(configuration, pretty: false, path: path)) ?? "\(configuration)"
            let found = (try? json(written, pretty: false, path: path)) ?? "\(written)"
            throw .invalidCheckpoint(
                path: path,
                reason: "config.json disagrees with model.safetensors: config.json has \(found), "
                    + "model.safetensors has \(expected)")
        }
    }

    /// Checks that the file holds exactly the layout's tensors, as F32 with the layout's shapes.
    private static func checkTensors(of file: SafetensorsFile, match layout: ParameterLayout) throws(ModelError) {
        func invalid(_ reason: String) -> ModelError { .invalidCheckpoint(path: file.path, reason: reason) }
        for view in layout.views {
            guard let tensor = file.tensor(named: view.name) else {
                throw invalid("missing tensor '\(view.name)' (expected shape \(view.shape))")
            }
            guard tensor.dtype == .f32 else {
                throw invalid("tensor '\(view.name)' has dtype \(tensor.dtype.rawValue), expected F32")
            }
            guard tensor.shape == view.shape else {
                throw invalid("tensor '\(view.name)' has shape \(tensor.shape), expected \(view.shape)")
            }
        }
        let expected = Set(layout.views.map(\.name))
        if let extra = file.tensors.first(where: { !expected.contains($0.name) }) {
            throw invalid("unexpected tensor '\(extra.name)' with shape \(extra.shape)")
        }
    }

    /// `value` as JSON text with sorted keys.
    static func json(_ value: some Encodable, pretty: Bool, path: String) throws(ModelError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + (pretty ? "\n" : "")
        } catch {
            throw .io(path: path, reason: "cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    /// Creates `directory` and its parents if they do not exist.
    static func createDirectory(_ directory: String) throws(ModelError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }
}
