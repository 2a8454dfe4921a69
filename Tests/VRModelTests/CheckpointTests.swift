// Tests for model checkpoints: round trips, validation against the layout, atomic replacement.

import Foundation
import Testing
import VRCore
import VRTensor

@testable import VRModel

@Suite("Checkpoint")
struct CheckpointTests {
    let configuration = TransformerConfiguration(
        layerCount: 2, width: 8, headCount: 2, contextLength: 4, vocabularySize: 11)

    @Test("configuration, parameters (bitwise) and metadata round-trip")
    func roundTrip() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let parameters = randomParameters(configuration, seed: 1)
        parameters[0] = -0.0
        parameters[1] = .leastNonzeroMagnitude
        parameters[2] = .nan
        parameters[3] = -.infinity
        try Checkpoint.write(
            configuration: configuration, parameters: parameters, to: directory, metadata: ["step": "5"])

        let checkpoint = try Checkpoint.read(from: directory)
        #expect(checkpoint.configuration == configuration)
        #expect(checkpoint.parameters.count == 1_880)
        #expect(checkpoint.parameters.array.map(\.bitPattern) == parameters.array.map(\.bitPattern))
        #expect(
            checkpoint.metadata == [
                "format": "vr-transformer", "format_version": "1", "step": "5",
                "config": #"{"contextLength":4,"headCount":2,"layerCount":2,"vocabularySize":11,"width":8}"#,
            ])
    }

    @Test("model.safetensors holds one F32 tensor per layout view; config.json is pretty JSON")
    func files() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let parameters = randomParameters(configuration, seed: 2)
        try Checkpoint.write(configuration: configuration, parameters: parameters, to: directory)

        let file = try SafetensorsFile(path: directory + "/model.safetensors")
        let layout = ParameterLayout(configuration)
        #expect(file.tensors.map(\.name) == layout.views.map(\.name))
        #expect(file.tensors.map(\.shape) == layout.views.map(\.shape))
        #expect(file.tensors.allSatisfy { $0.dtype == .f32 })
        #expect(file.tensors.first?.name == "wte")
        #expect(file.tensors.first?.shape == [11, 8])
        #expect(try file.floats(named: "ln_f.bias") == Array(parameters.array.suffix(8)))
        let configText = try String(contentsOfFile: directory + "/config.json", encoding: .utf8)
        #expect(configText.hasPrefix("{\n"))
        let decoded = try JSONDecoder().decode(TransformerConfiguration.self, from: Data(configText.utf8))
        #expect(decoded == configuration)
    }

    @Test("read accepts the path of model.safetensors itself")
    func readModelFile() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let parameters = randomParameters(configuration, seed: 3)
        try Checkpoint.write(configuration: configuration, parameters: parameters, to: directory)
        let checkpoint = try Checkpoint.read(from: directory + "/model.safetensors")
        #expect(checkpoint.parameters.array == parameters.array)
    }

    @Test(
        "a truncated model.safetensors throws invalidCheckpoint naming the file", arguments: [0, 5, 8, 100, 4_000, -1])
    func truncated(length: Int) throws {
        let directory = try writtenCheckpoint(seed: 4)
        defer { remove(directory) }
        let path = directory + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try Data(bytes.prefix(length >= 0 ? length : bytes.count - 1)).write(to: URL(fileURLWithPath: path))
        let failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.path == path)
        let expected =
            switch length {
            case 0, 5: "shorter than the 8-byte header length"
            case 8, 100: "exceeds the \(length - 8) bytes after the length field"
            default: "truncated data section"
            }
        #expect(failure.reason.contains(expected), "\(failure.reason)")
    }

    @Test("a bogus header length on disk is rejected")
    func bogusHeaderLength() throws {
        let directory = try writtenCheckpoint(seed: 5)
        defer { remove(directory) }
        let path = directory + "/model.safetensors"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        try bytes.write(to: URL(fileURLWithPath: path))
        let failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason == "header length 9223372036854775807 exceeds the limit of 100000000 bytes")
    }

    @Test("a safetensors file without vr metadata is not a checkpoint")
    func foreignFile() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var writer = layoutWriter(metadata: [:], parameters: randomParameters(configuration, seed: 6))
        try writer.write(to: directory + "/model.safetensors")
        var failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(
            failure.reason == #"not a vr checkpoint: the metadata has no "format" entry (expected "vr-transformer")"#)

        writer.metadata = ["format": "pt"]
        try writer.write(to: directory + "/model.safetensors")
        failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason == #"not a vr checkpoint: format is "pt", expected "vr-transformer""#)

        writer.metadata = vrMetadata(formatVersion: "2")
        try writer.write(to: directory + "/model.safetensors")
        failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason == #"format_version is "2"; this build reads version 1"#)
    }

    @Test("a tensor with the wrong shape is named with both shapes")
    func wrongShape() throws {
        let reason = try readFailure(replacing: "h.1.attn.qkv.weight") { writer, view in
            writer.append(view.name, shape: [8, 24], floats: Array(repeating: 0, count: 192))
        }
        #expect(reason == "tensor 'h.1.attn.qkv.weight' has shape [8, 24], expected [24, 8]")
    }

    @Test("a missing tensor, an extra tensor and a non-F32 tensor are each reported by name")
    func tensorSet() throws {
        let missing = try readFailure(replacing: "h.0.mlp.fc.bias") { _, _ in }
        #expect(missing == "missing tensor 'h.0.mlp.fc.bias' (expected shape [32])")
        let extra = try readFailure(replacing: "ln_f.bias") { writer, view in
            writer.append(view.name, shape: [8], floats: Array(repeating: 1, count: 8))
            writer.append("lm_head.weight", shape: [2], floats: [1, 2])
        }
        #expect(extra == "unexpected tensor 'lm_head.weight' with shape [2]")
        let integer = try readFailure(replacing: "wpe") { writer, view in
            writer.append(view.name, shape: [4, 8], int32s: Array(repeating: 0, count: 32))
        }
        #expect(integer == "tensor 'wpe' has dtype I32, expected F32")
    }

    @Test("an invalid configuration in the metadata is rejected")
    func invalidConfiguration() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var writer = SafetensorsWriter(metadata: vrMetadata())
        writer.metadata["config"] = #"{"contextLength":4,"headCount":3,"layerCount":2,"vocabularySize":11,"width":8}"#
        try writer.write(to: directory + "/model.safetensors")
        var failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason.hasPrefix(#"the "config" metadata is invalid"#))
        #expect(failure.reason.contains("width 8 is not a multiple of headCount 3"))

        writer.metadata["config"] = #"{"width":8}"#
        try writer.write(to: directory + "/model.safetensors")
        failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason == #"the "config" metadata is not a transformer configuration: {"width":8}"#)
    }

    @Test("a config.json that disagrees with model.safetensors is rejected")
    func configDisagrees() throws {
        let directory = try writtenCheckpoint(seed: 7)
        defer { remove(directory) }
        let configPath = directory + "/config.json"
        var other = configuration
        other.width = 16
        try JSONEncoder().encode(other).write(to: URL(fileURLWithPath: configPath))
        var failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.path == configPath)
        #expect(failure.reason.hasPrefix("config.json disagrees with model.safetensors"))
        #expect(failure.reason.contains(#""width":16"#))
        #expect(failure.reason.contains(#""width":8"#))

        try Data("[]".utf8).write(to: URL(fileURLWithPath: configPath))
        failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.reason == "config.json is not a transformer configuration")

        try FileManager.default.removeItem(atPath: configPath)
        #expect(try Checkpoint.read(from: directory).configuration == configuration)
    }

    @Test("a missing checkpoint directory says the model file does not exist")
    func missingDirectory() throws {
        let directory = temporaryDirectory()
        #expect(
            throws: ModelError.invalidCheckpoint(path: directory + "/model.safetensors", reason: "file does not exist")
        ) {
            _ = try Checkpoint.read(from: directory)
        }
    }

    @Test("reserved metadata keys are refused")
    func reservedMetadata() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let parameters = randomParameters(configuration, seed: 8)
        #expect(throws: ModelError.invalidInput("checkpoint metadata key 'format' is reserved")) {
            try Checkpoint.write(
                configuration: configuration, parameters: parameters, to: directory, metadata: ["format": "x"])
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test("writing replaces an existing checkpoint and leaves no temporary files")
    func replaceAtomically() throws {
        let root = temporaryDirectory()
        defer { remove(root) }
        let directory = root + "/nested/run"
        try Checkpoint.write(
            configuration: configuration, parameters: randomParameters(configuration, seed: 9), to: directory)
        var bigger = configuration
        bigger.layerCount = 3
        let parameters = randomParameters(bigger, seed: 10)
        try Checkpoint.write(configuration: bigger, parameters: parameters, to: directory, metadata: ["step": "2"])

        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["config.json", "model.safetensors"])
        let checkpoint = try Checkpoint.read(from: directory)
        #expect(checkpoint.configuration == bigger)
        #expect(checkpoint.parameters.array == parameters.array)
        #expect(checkpoint.metadata["step"] == "2")
    }

    @Test("a failed atomic write leaves the old file and no temporary file")
    func failedAtomicWrite() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/file.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(throws: ModelError.io(path: path, reason: "disk full (simulated)")) {
            try AtomicFile.write(to: path) { (output) throws(ModelError) in
                try output.write([9, 9])
                throw .io(path: path, reason: "disk full (simulated)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file.bin"])
        let missing = directory + "/no/such/dir/file.bin"
        #expect(throws: ModelError.self) { try AtomicFile.write([1], to: missing) }
    }

    @Test("optimizer state round-trips and is checked against the parameter count")
    func optimizerState() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let firstMoment = FloatBuffer([0.25, -1, 3])
        let secondMoment = FloatBuffer([1e-8, 2, 0])
        try Checkpoint.writeOptimizerState(
            stepCount: 42, firstMoment: firstMoment, secondMoment: secondMoment, to: directory)
        let state = try Checkpoint.readOptimizerState(from: directory, parameterCount: 3)
        #expect(state.stepCount == 42)
        #expect(state.firstMoment.array == [0.25, -1, 3])
        #expect(state.secondMoment.array == [1e-8, 2, 0])
        let file = try SafetensorsFile(path: directory + "/optimizer.safetensors")
        #expect(file.metadata == ["format": "vr-optimizer", "format_version": "1", "step": "42"])

        let failure = try #require(
            checkpointFailure { _ = try Checkpoint.readOptimizerState(from: directory, parameterCount: 4) })
        #expect(failure.reason == "tensor 'm' is F32 [3], expected F32 [4]")
        let modelDirectory = try writtenCheckpoint(seed: 11)
        defer { remove(modelDirectory) }
        try FileManager.default.copyItem(
            atPath: modelDirectory + "/model.safetensors", toPath: modelDirectory + "/optimizer.safetensors")
        let foreign = try #require(
            checkpointFailure { _ = try Checkpoint.readOptimizerState(from: modelDirectory, parameterCount: 3) })
        #expect(foreign.reason == #"not a vr optimizer state: format is "vr-transformer", expected "vr-optimizer""#)
    }

    /// Also the source of checkpoints for `scripts/check_safetensors.py`: set VR_EXPORT_CHECKPOINT to a
    /// directory to keep the checkpoint there.
    @Test("a checkpoint written for external checks (VR_EXPORT_CHECKPOINT) reads back")
    func export() throws {
        let exportPath = ProcessInfo.processInfo.environment["VR_EXPORT_CHECKPOINT"]
        let directory = exportPath ?? temporaryDirectory()
        defer { if exportPath == nil { remove(directory) } }
        let parameters = randomParameters(configuration, seed: 12)
        try Checkpoint.write(
            configuration: configuration, parameters: parameters, to: directory, metadata: ["seed": "12"])
        let checkpoint = try Checkpoint.read(from: directory)
        #expect(checkpoint.parameters.array == parameters.array)
        #expect(checkpoint.metadata["seed"] == "12")
    }

    // MARK: - Helpers

    /// A checkpoint of `configuration` in a new temporary directory.
    private func writtenCheckpoint(seed: UInt64) throws -> String {
        let directory = temporaryDirectory()
        try Checkpoint.write(
            configuration: configuration, parameters: randomParameters(configuration, seed: seed), to: directory)
        return directory
    }

    /// The vr metadata for `configuration`.
    private func vrMetadata(formatVersion: String = "1") -> [String: String] {
        [
            "format": "vr-transformer", "format_version": formatVersion,
            "config": String(decoding: try! JSONEncoder().encode(configuration), as: UTF8.self),
        ]
    }

    /// A writer holding every layout tensor of `configuration`.
    private func layoutWriter(
        metadata: [String: String], parameters: FloatBuffer, replacing name: String? = nil,
        with replace: (inout SafetensorsWriter, ParameterView) -> Void = { _, _ in }
    ) -> SafetensorsWriter {
        var writer = SafetensorsWriter(metadata: metadata)
        for view in ParameterLayout(configuration).views {
            if view.name == name {
                replace(&writer, view)
            } else {
                writer.append(view.name, shape: view.shape, from: parameters, offset: view.offset)
            }
        }
        return writer
    }

    /// The reason `Checkpoint.read` gives for a valid checkpoint whose tensor `name` is written by `replace`.
    private func readFailure(
        replacing name: String, with replace: (inout SafetensorsWriter, ParameterView) -> Void
    )
        throws -> String
    {
        let directory = try writtenCheckpoint(seed: 13)
        defer { remove(directory) }
        let parameters = randomParameters(configuration, seed: 13)
        let writer = layoutWriter(metadata: vrMetadata(), parameters: parameters, replacing: name, with: replace)
        try writer.write(to: directory + "/model.safetensors")
        let failure = try #require(checkpointFailure { _ = try Checkpoint.read(from: directory) })
        #expect(failure.path == directory + "/model.safetensors")
        return failure.reason
    }
}

// MARK: - File helpers

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("vr-checkpoint-\(UUID().uuidString)").path
}

private func remove(_ directory: String) {
    try? FileManager.default.removeItem(atPath: directory)
}

/// Parameters drawn from N(0, 0.02²) with a fixed seed.
private func randomParameters(_ configuration: TransformerConfiguration, seed: UInt64) -> FloatBuffer {
    let parameters = FloatBuffer(count: ParameterLayout(configuration).parameterCount)
    var generator = SeededGenerator(seed: seed)
    generator.fillNormal(parameters.buffer, standardDeviation: 0.02)
    return parameters
}

/// The path and reason of the `invalidCheckpoint` error `body` throws, or `nil`.
private func checkpointFailure(_ body: () throws -> Void) -> (path: String, reason: String)? {
    do {
        try body()
    } catch ModelError.invalidCheckpoint(let path, let reason) {
        return (path, reason)
    } catch {
        return nil
    }
    return nil
}
