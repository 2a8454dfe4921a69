// Range checks of an SFT configuration, and reading/writing it as JSON.

import Foundation
import VRCore
import VRModel
import VRText

extension SFTConfiguration {
    /// File name of the effective configuration in a run's output directory.
    public static let fileName = "sft-config.json"

    /// Checks every value's range.
    /// - Throws: `TrainingError.invalidConfiguration` naming the first field at fault and its value.
    public func validate() throws(TrainingError) {
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(TrainingError) {
            if !condition { throw .invalidConfiguration(message()) }
        }
        do {
            try model.validate()
        } catch {
            throw .invalidConfiguration("model: \(error)")
        }
        try require(
            model.vocabularySize >= ByteTokenizer.vocabularySize,
            "model.vocabularySize must be at least \(ByteTokenizer.vocabularySize) (the byte tokenizer's), "
                + "got \(model.vocabularySize)")
        try require(model.contextLength >= 2, "model.contextLength must be at least 2, got \(model.contextLength)")
        try require((1...10_000_000).contains(steps), "steps must be in 1...10000000, got \(steps)")
        try require((1...4096).contains(batchSize), "batchSize must be in 1...4096, got \(batchSize)")
        try require(
            learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1], got \(learningRate)")
        try require(
            minimumLearningRateRatio >= 0 && minimumLearningRateRatio <= 1,
            "minimumLearningRateRatio must be in [0, 1], got \(minimumLearningRateRatio)")
        try require(warmupSteps >= 0, "warmupSteps must be non-negative, got \(warmupSteps)")
        try require(
            weightDecay >= 0 && weightDecay.isFinite, "weightDecay must be finite and non-negative, got \(weightDecay)")
        try require(
            gradientClipNorm > 0 && gradientClipNorm.isFinite,
            "gradientClipNorm must be finite and positive, got \(gradientClipNorm)")
        try require(checkpointEvery >= 0, "checkpointEvery must be non-negative, got \(checkpointEvery)")
        try require(logEvery >= 1, "logEvery must be at least 1, got \(logEvery)")
    }

    /// Decodes and validates a configuration from JSON text.
    /// - Parameters:
    ///   - json: a JSON object; missing keys take their defaults.
    ///   - source: the name used in errors, e.g. the file path.
    /// - Returns: the checked configuration.
    /// - Throws: `TrainingError.invalidConfiguration` for malformed JSON, an unknown key, a wrong type or
    ///   a value out of range.
    public static func decode(json: Data, source: String = "configuration") throws(TrainingError) -> Self {
        let configuration: SFTConfiguration
        do {
            configuration = try JSONDecoder().decode(SFTConfiguration.self, from: json)
        } catch {
            throw .invalidConfiguration("\(source) \(DecodingFailure.message(for: error))")
        }
        try configuration.validate()
        return configuration
    }

    /// Reads, decodes and validates a configuration file.
    /// - Parameter path: a JSON file.
    /// - Returns: the checked configuration.
    /// - Throws: `TrainingError.io` if the file cannot be read, `.invalidConfiguration` as `decode(json:)`.
    public static func load(from path: String) throws(TrainingError) -> Self {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read the configuration: \(error.localizedDescription)")
        }
        return try decode(json: data, source: path)
    }

    /// The configuration as pretty-printed JSON with sorted keys, ending with a newline.
    public var jsonString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding numbers, booleans and a nested struct of integers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes `jsonString` to `directory/sft-config.json` atomically, creating the directory if needed.
    /// - Parameter directory: the run's output directory.
    /// - Throws: `TrainingError.io` if the directory or file cannot be written.
    public func write(toDirectory directory: String) throws(TrainingError) {
        let path = directory + "/" + Self.fileName
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
        do {
            try AtomicFile.write(Array(jsonString.utf8), to: path)
        } catch .io(_, let reason) {
            throw .io(path: path, reason: reason)
        } catch {
            throw .model(error)
        }
    }
}
