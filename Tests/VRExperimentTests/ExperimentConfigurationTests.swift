import Foundation
import Testing
import VRExperiment
import VRLearner
import VRTasks
import VRWire

/// Experiment configurations: defaults per method, strict decoding, and errors that name the field.
@Suite("experiment configuration")
struct ExperimentConfigurationTests {
    func decode(_ json: String) throws -> ExperimentConfiguration {
        try JSONDecoder().decode(ExperimentConfiguration.self, from: Data(json.utf8))
    }

    func configuration(arms: String, extra: String = "") -> String {
        """
        {"name": "t", "tasks": [{"family": "addition"}], \(extra) "arms": [\(arms)]}
        """
    }

    /// Writes `json` to a temporary file and reads it as a configuration.
    func read(_ json: String) throws(ExperimentError) -> ExperimentConfiguration {
        let path = NSTemporaryDirectory() + "vr-experiment-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        return try ExperimentConfiguration.read(from: path)
    }

    @Test("each method gets its natural proposal, posterior, answers per trace and posterior training")
    func methodDefaults() throws {
        let arms = try decode(
            configuration(
                arms: """
                    {"name": "v", "method": "variational"}, {"name": "r", "method": "rft"},
                    {"name": "g", "method": "grpo"}, {"name": "h", "method": "variational", "proposal": "unhinted-posterior"}
                    """)
        ).arms
        #expect(arms.map(\.proposal) == [.hintedPosterior, .unhintedPosterior, .reasoningModel, .unhintedPosterior])
        #expect(arms.map(\.posterior) == [.trained, .initial, .initial, .initial])
        #expect(arms.map(\.trainsPosterior) == [true, false, false, false])
        #expect(arms.map(\.answersPerTrace) == [nil, 1, 1, nil])
        #expect(arms.map(\.objective.method) == [.variational, .rft, .grpo, .variational])
        #expect(arms[0].label == "v" && arms[0].estimator == .acc && arms[0].selection == .weighted)
    }

    @Test("stage 0 draws other questions of the same tasks, in its own thought style")
    func pretraining() throws {
        let decoded = try decode(
            configuration(
                arms: #"{"name": "s", "method": "sft"}"#,
                extra: #""pretraining": {"questionsPerTask": 5, "sft": {"steps": 7}},"#))
        let stage = try #require(decoded.pretraining)
        #expect(stage.thoughtStyle == .compact && stage.questionsPerTask == 5 && stage.sft.steps == 7)
        var verbose = decoded.tasks[0]
        verbose.thoughtStyle = .verbose
        let generators = stage.generators(for: [verbose])
        #expect(generators.map(\.thoughtStyle) == [.compact])
        #expect(generators.map(\.seed) == [verbose.seed + 1000])
        #expect(generators[0].difficulties == verbose.difficulties)
        #expect(try decode(configuration(arms: #"{"name": "s", "method": "sft"}"#)).pretraining == nil)
    }

    @Test("the committed configurations are valid")
    func committedConfigurations() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let configuration = try read(
                String(decoding: try Data(contentsOf: directory.appendingPathComponent(file)), as: UTF8.self))
            #expect(!configuration.arms.isEmpty, "\(file)")
        }
    }

    @Test(
        "bad input is refused with a message naming what is wrong",
        arguments: [
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft"}], "seedz": [1]}"#,
                "unknown key \"seedz\""
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "ppo"}]}"#,
                "arms[0].method"
            ),
            (#"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"method": "sft"}]}"#, "missing key \"name\""),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a b", "method": "sft"}]}"#,
                "arm name \"a b\""
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft", "groups": ["x"]}]}"#,
                "unknown group \"x\""
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft"}, {"name": "a", "method": "rft"}]}"#,
                "appears twice"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "workers": 0, "arms": [{"name": "a", "method": "sft"}]}"#,
                "workers is 0"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "seeds": [1, 1], "arms": [{"name": "a", "method": "sft"}]}"#,
                "seeds must be distinct"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "rft", "trainsPosterior": true}]}"#,
                "trainsPosterior needs the hinted-posterior proposal"
            ),
            ("not json", "unreadable"),
        ])
    func refusals(json: String, expected: String) {
        do {
            _ = try read(json)
            Issue.record("accepted: \(json)")
        } catch {
            let message = error.description
            #expect(
                message.contains(expected) || (expected == "unreadable" && message.contains(".json: ")), "\(message)")
        }
    }
}
