import Foundation
import Testing
import VRLearner

/// `vr learner --config`: one strict configuration, its defaults defined once.
@Suite("learner configuration")
struct LearnerConfigurationTests {
    func decode(_ json: String) throws -> LearnerConfiguration {
        try JSONDecoder().decode(LearnerConfiguration.self, from: Data(json.utf8))
    }

    @Test("an empty object is the defaults; the written configuration reads back equal")
    func defaultsAndRoundTrip() throws {
        #expect(try decode("{}") == LearnerConfiguration())
        var configuration = LearnerConfiguration()
        configuration.modelSteps = 9
        configuration.reasoningOptimizer.beta2 = 0.99
        configuration.posteriorOptimizer.decayFloor = 0
        configuration.policy.assignmentDeadline = .milliseconds(1500)
        configuration.modelObjective.method = .grpo
        let written = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(LearnerConfiguration.self, from: written) == configuration)
    }

    @Test("missing keys take their defaults at every level")
    func partial() throws {
        let configuration = try decode(
            #"{"modelSteps": 3, "reasoningOptimizer": {"learningRate": 0.002, "beta1": 0.8}, "policy": {"maxOutstandingLag": 1}}"#
        )
        var expected = LearnerConfiguration()
        expected.modelSteps = 3
        expected.reasoningOptimizer = OptimizerSettings(learningRate: 0.002)
        expected.reasoningOptimizer.beta1 = 0.8
        expected.policy.maxOutstandingLag = 1
        #expect(configuration == expected)
        #expect(configuration.reasoningOptimizer.warmupSteps == 5 && configuration.reasoningOptimizer.decayFloor == 0.1)
    }

    @Test("an unknown key is refused with its name, at the top level and nested")
    func unknownKeys() {
        for (json, key) in [
            (#"{"modelStep": 3}"#, "modelStep"),
            (#"{"reasoningOptimizer": {"learningRate": 1, "betta2": 0.9}}"#, "betta2"),
            (#"{"policy": {"maxLagg": 1}}"#, "maxLagg"), (#"{"modelObjective": {"metod": "rft"}}"#, "metod"),
        ] {
            #expect(throws: DecodingError.self, "\(json)") { try decode(json) }
            do {
                _ = try decode(json)
            } catch {
                #expect("\(error)".contains("unknown key \"\(key)\""), "\(error)")
            }
        }
    }

    @Test("the optimizer's new settings are checked: decay floor in [0, 1], betas in [0, 1)")
    func optimizerRanges() throws {
        var floor = LearnerConfiguration()
        floor.reasoningOptimizer.decayFloor = 1.5
        #expect(throws: LearnerError.self) { try floor.validate() }
        var beta = LearnerConfiguration()
        beta.posteriorOptimizer.beta2 = 1
        #expect(throws: LearnerError.self) { try beta.validate() }
        try LearnerConfiguration().validate()
    }
}
