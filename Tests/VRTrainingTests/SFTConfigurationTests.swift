import Foundation
import Testing
import VRModel
import VRTraining

@Suite("SFTConfiguration")
struct SFTConfigurationTests {
    private func decode(_ json: String) throws(TrainingError) -> SFTConfiguration {
        try SFTConfiguration.decode(json: Data(json.utf8), source: "test.json")
    }

    /// The message of the `invalidConfiguration` error `json` produces, or nil.
    private func errorMessage(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            guard case .invalidConfiguration(let message) = error else { return nil }
            return message
        }
    }

    @Test("the defaults are the documented ones")
    func defaults() throws {
        let configuration = SFTConfiguration()
        #expect(
            configuration.model
                == TransformerConfiguration(
                    layerCount: 2, width: 64, headCount: 4, contextLength: 192, vocabularySize: 268))
        #expect(configuration.steps == 300 && configuration.batchSize == 16)
        #expect(configuration.learningRate == 3e-3 && configuration.warmupSteps == 20)
        #expect(configuration.schedule.minimum == 3e-4)
        #expect(configuration.gradientClipNorm == 1 && configuration.weightDecay == 0.1)
        #expect(configuration.checkpointEvery == 0 && configuration.logEvery == 10)
        try configuration.validate()
    }

    @Test("an empty object, a partial object and the encoded form all decode")
    func decoding() throws {
        #expect(try decode("{}") == SFTConfiguration())
        let partial = try decode(#"{"steps": 7, "model": {"width": 32, "headCount": 2}}"#)
        var expected = SFTConfiguration()
        expected.steps = 7
        expected.model.width = 32
        expected.model.headCount = 2
        #expect(partial == expected)
        expected.seed = 99
        expected.truncateLongExamples = true
        #expect(try decode(expected.jsonString) == expected)
    }

    @Test(
        "unknown keys are rejected, at the top level and inside model",
        arguments: [
            (#"{"stpes": 10}"#, "unknown key \"stpes\""),
            (#"{"steps": 10, "model": {"widht": 32}}"#, "at model: unknown key \"widht\""),
        ])
    func unknownKeys(json: String, expected: String) throws {
        let message = try #require(errorMessage(json))
        #expect(message.contains(expected), "\(message)")
        #expect(message.contains("test.json"))
    }

    @Test("wrong types and malformed JSON are rejected with a location")
    func wrongTypes() throws {
        #expect(try #require(errorMessage(#"{"steps": "many"}"#)).contains("at steps"))
        #expect(try #require(errorMessage(#"{"model": {"width": "wide"}}"#)).contains("at model.width"))
        #expect(errorMessage(#"{"model": {"width": 1.5}}"#) != nil)
        #expect(errorMessage("{") != nil)
        #expect(errorMessage("[]") != nil)
    }

    @Test(
        "values out of range are rejected, naming the field",
        arguments: [
            (#"{"steps": 0}"#, "steps"),
            (#"{"batchSize": 0}"#, "batchSize"),
            (#"{"learningRate": 0}"#, "learningRate"),
            (#"{"learningRate": 2}"#, "learningRate"),
            (#"{"minimumLearningRateRatio": 1.5}"#, "minimumLearningRateRatio"),
            (#"{"warmupSteps": -1}"#, "warmupSteps"),
            (#"{"weightDecay": -0.1}"#, "weightDecay"),
            (#"{"gradientClipNorm": 0}"#, "gradientClipNorm"),
            (#"{"checkpointEvery": -1}"#, "checkpointEvery"),
            (#"{"logEvery": 0}"#, "logEvery"),
            (#"{"model": {"vocabularySize": 100}}"#, "vocabularySize"),
            (#"{"model": {"width": 30}}"#, "headCount"),
            (#"{"model": {"layerCount": 0}}"#, "layerCount"),
        ])
    func ranges(json: String, field: String) throws {
        let message = try #require(errorMessage(json))
        #expect(message.contains(field), "\(message)")
    }

    @Test("warmup longer than the run is capped at the step count")
    func warmupCap() {
        var configuration = SFTConfiguration()
        configuration.steps = 5
        #expect(configuration.schedule.warmupSteps == 5)
        #expect(configuration.schedule.rate(at: 4) == configuration.learningRate)
    }

    @Test("load reads a file and reports a missing one as an I/O error")
    func load() throws {
        let path = NSTemporaryDirectory() + "vr-sft-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"batchSize": 4}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SFTConfiguration.load(from: path).batchSize == 4)
        #expect(throws: TrainingError.self) { try SFTConfiguration.load(from: path + ".missing") }
    }
}
