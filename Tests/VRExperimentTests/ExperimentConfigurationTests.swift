import Foundation
import Testing
import VRExperiment
import VRLearner
import VRObjectives
import VRTasks
import VRWire
import VRWorker

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
        #expect(arms.allSatisfy { $0.normalization == .perToken })
    }

    @Test("offline arms: q fixed, the 17K mix with the best trace, each pool as large as its largest K, own seeds")
    func offlineArms() throws {
        let experiment = try decode(
            configuration(
                arms: """
                    {"name": "w", "method": "variational", "mode": "offline"},
                    {"name": "b", "method": "variational", "mode": "offline", "selection": "best"},
                    {"name": "k8", "method": "variational", "mode": "offline", "traces": 8, "seeds": [2]},
                    {"name": "p", "method": "variational", "mode": "offline", "proposal": "unhinted-posterior"},
                    {"name": "r", "method": "rft", "mode": "offline", "traces": 2}, {"name": "o", "method": "variational"}
                    """, extra: #""seeds": [1, 2], "traces": 4,"#))
        try experiment.validate()
        let arms = experiment.arms
        #expect(arms.map(\.trainsPosterior) == [false, false, false, false, false, true])
        #expect(arms.map(\.mixesReferences) == [false, true, false, false, false, false])
        #expect(experiment.offlineArms.map(\.name) == ["w", "b", "k8", "p", "r"])
        #expect(experiment.poolTraces(arms[0].poolSource) == 8)
        #expect(experiment.poolTraces(arms[3].poolSource) == 4)
        #expect(arms[3].poolSource == arms[4].poolSource && arms[4].poolSource.name == "pi0")
        #expect(experiment.seeds(of: arms[2]) == [2] && experiment.seeds(of: arms[0]) == [1, 2])
        #expect(arms[1].offlineSelection(traces: 4).includesReferences)
        #expect(arms[4].offlineSelection(traces: 2) == OfflineSelection(weighting: .rejectionSampling, traces: 2))
        // Encoding keeps every field, so the run directory's experiment.json reads back the same.
        #expect(try decode(String(decoding: JSONEncoder().encode(experiment), as: UTF8.self)) == experiment)
    }

    @Test("[E5] an arm can take the exact trace ratio")
    func exactNormalization() throws {
        let arms = try decode(
            configuration(arms: #"{"name": "v", "method": "variational", "normalization": "exact"}"#)
        ).arms
        #expect(arms.map(\.normalization) == [.exact])
    }

    @Test("[E12] GRPO's clip range, KL coefficient and learning rate are the arm's; the schedule is every arm's")
    func grpoSettingsAndSchedule() throws {
        let decoded = try decode(
            configuration(
                arms: """
                    {"name": "g", "method": "grpo", "learningRate": 0.0001, "clipRange": 0.1, "klCoefficient": 0.04},
                    {"name": "s", "method": "sft"}
                    """,
                extra: #""training": {"warmupSteps": 3, "weightDecay": 0.01, "gradientClipNorm": 0.5},"#))
        #expect(decoded.arms[0].learningRate == 1e-4 && decoded.arms[1].learningRate == nil)
        #expect(decoded.arms.allSatisfy { $0.hint == .workedSolution })
        let answerHint = try decode(
            configuration(arms: #"{"name": "v", "method": "variational", "hint": "answer"}"#)
        ).arms
        #expect(answerHint.map(\.hint) == [.answer])
        #expect(decoded.arms[0].objective.surrogate == ClippedSurrogate(clipRange: 0.1, klCoefficient: 0.04))
        #expect(decoded.arms[1].objective.surrogate == .standard)
        #expect(decoded.training.warmupSteps == 3 && decoded.training.weightDecay == 0.01)
        #expect(
            decoded.training.scheduleDescription()
                == "AdamW (betas 0.9, 0.95), the online arms continuing the moments of the SFT that made the initial "
                + "models, the SFT and offline arms (SFT from pi0) from a fresh state, linear warmup over 3 steps, "
                + "cosine decay to 0.1 of the peak at step 300, weight decay 0.01, gradient norm clipped to 0.5")
        // Encoding writes the keys decoding reads.
        let again = try JSONDecoder().decode(ArmConfiguration.self, from: JSONEncoder().encode(decoded.arms[0]))
        #expect(again == decoded.arms[0])
        for (arm, field) in [
            (#"{"name": "g", "method": "grpo", "clipRange": 0}"#, "clip range"),
            (#"{"name": "g", "method": "grpo", "klCoefficient": -1}"#, "KL coefficient"),
            (#"{"name": "g", "method": "grpo", "learningRate": 0}"#, "learning rates"),
        ] {
            #expect(throws: ExperimentError.self) { try decode(configuration(arms: arm)).validate() }
            do {
                try decode(configuration(arms: arm)).validate()
            } catch {
                #expect("\(error)".contains(field), "\(error)")
            }
        }
        #expect(throws: ExperimentError.self) {
            try decode(
                configuration(arms: #"{"name": "s", "method": "sft"}"#, extra: #""training": {"gradientClipNorm": 0},"#)
            )
            .validate()
        }
    }

    @Test("each learner arm's configuration: the budget and schedule for pi and q, the arm's own K, rate and objective")
    func learnerConfigurations() throws {
        let decoded = try decode(
            configuration(
                arms: """
                    {"name": "g", "method": "grpo", "learningRate": 0.0001, "clipRange": 0.1, "traces": 2},
                    {"name": "r", "method": "rft"},
                    {"name": "v", "method": "variational", "normalization": "exact"}
                    """,
                extra: #""traces": 6, "training": {"modelSteps": 40, "warmupSteps": 3, "weightDecay": 0.01},"#))
        let grpo = decoded.learnerConfiguration(for: decoded.arms[0], seed: 7)
        #expect(grpo.modelSteps == 40 && grpo.questionsPerStep == decoded.training.questionsPerStep && grpo.seed == 7)
        #expect(grpo.tracesPerQuestion == 2 && grpo.priorTracesPerQuestion == 2)
        #expect(grpo.reasoningOptimizer.learningRate == 1e-4)
        #expect(grpo.posteriorOptimizer.learningRate == decoded.training.posteriorLearningRate)
        #expect(
            grpo.modelObjective == decoded.arms[0].objective && grpo.trainsPosterior == decoded.arms[0].trainsPosterior)
        for optimizer in [grpo.reasoningOptimizer, grpo.posteriorOptimizer] {
            #expect(optimizer.warmupSteps == 3 && optimizer.weightDecay == 0.01 && optimizer.gradientClipNorm == 1)
            #expect(optimizer.decayFloor == 0.1)
        }
        let rft = decoded.learnerConfiguration(for: decoded.arms[1], seed: 0)
        #expect(rft.tracesPerQuestion == 6 && rft.reasoningOptimizer.learningRate == decoded.training.learningRate)
        #expect(decoded.learnerConfiguration(for: decoded.arms[2], seed: 0).normalization == .exact)
        try grpo.validate()
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

    /// Writes `count` generated questions of `family` for `split` to a temporary task file.
    func taskFile(_ family: TaskFamily, _ split: TaskSplit, count: Int, seed: UInt64 = 1) throws -> String {
        let path = NSTemporaryDirectory() + "vr-tasks-\(UUID().uuidString).jsonl"
        let dataset = try TaskDataset.generated(
            [TaskGeneratorConfiguration(family: family, seed: seed)], countPerConfiguration: count, split: split)
        try dataset.write(to: path)
        return path
    }

    @Test(
        "task files: the first questions of each file, families interleaved; a shared question or a short file is refused"
    )
    func taskFiles() throws {
        let files = [
            TaskFiles(train: try taskFile(.addition, .train, count: 5), test: try taskFile(.addition, .test, count: 3)),
            TaskFiles(
                train: try taskFile(.wordProblem, .train, count: 4), test: try taskFile(.wordProblem, .test, count: 2)),
        ]
        defer {
            for path in files.flatMap({ [$0.train, $0.test] }) { try? FileManager.default.removeItem(atPath: path) }
        }
        func configuration(_ files: [TaskFiles], train: Int, test: Int) throws -> ExperimentConfiguration {
            let paths = files.map { #"{"train": "\#($0.train)", "test": "\#($0.test)"}"# }.joined(separator: ", ")
            return try decode(
                #"{"name": "t", "taskFiles": [\#(paths)], "trainQuestionsPerTask": \#(train), "#
                    + #""testQuestionsPerTask": \#(test), "arms": [{"name": "a", "method": "sft"}]}"#)
        }
        let (train, test) = try configuration(files, train: 3, test: 2).taskSplits()
        #expect(
            train.items.map(\.family) == [.addition, .wordProblem, .addition, .wordProblem, .addition, .wordProblem])
        let additionTrain = try TaskDataset.read(from: files[0].train, verifier: nil).items
        #expect(train.items.filter { $0.family == .addition }.map(\.id) == additionTrain.prefix(3).map(\.id))
        #expect(test.items.count == 4)
        do {
            _ = try configuration(files, train: 5, test: 2).taskSplits()
            Issue.record("a file with 4 questions gave 5")
        } catch {
            #expect("\(error)".contains("holds 4 questions; trainQuestionsPerTask asks for 5"), "\(error)")
        }
        let leaky = [TaskFiles(train: files[0].train, test: files[0].train)]
        do {
            _ = try configuration(leaky, train: 2, test: 2).taskSplits()
            Issue.record("a held-out question that is also a training question was accepted")
        } catch {
            #expect("\(error)".contains("held-out question"), "\(error)")
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
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "variational", "normalization": "mean"}]}"#,
                "arms[0].normalization"
            ),
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
            (
                #"{"name": "t", "baseModel": "m.gguf", "model": {"layers": 2}, "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft"}]}"#,
                "model: the base model brings its own architecture and working; remove \"model\""
            ),
            (
                #"{"name": "t", "baseModel": "m.gguf", "pretraining": {}, "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft"}]}"#,
                "remove \"pretraining\""
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "taskFiles": [{"train": "a", "test": "b"}], "arms": [{"name": "a", "method": "sft"}]}"#,
                "not both and not neither"
            ),
            (#"{"name": "t", "arms": [{"name": "a", "method": "sft"}]}"#, "not both and not neither"),
            (
                #"{"name": "t", "taskFiles": [{"train": "a"}], "arms": [{"name": "a", "method": "sft"}]}"#,
                "missing key \"test\""
            ),
            (
                #"{"name": "t", "taskFiles": [{"train": "a", "test": "b"}], "pretraining": {}, "arms": [{"name": "a", "method": "sft"}]}"#,
                "it needs tasks, not taskFiles"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "grpo", "mode": "offline"}]}"#,
                "grpo has no offline mode"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "rft", "mode": "offline", "proposal": "hinted-posterior"}]}"#,
                "offline RFT uses pi0's own traces"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "variational", "mode": "offline", "trainsPosterior": true}]}"#,
                "offline arms keep q fixed"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "variational", "mixesReferences": true}]}"#,
                "mixesReferences is for offline arms"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "seeds": [1, 2], "arms": [{"name": "a", "method": "sft", "seeds": [3]}]}"#,
                "seed 3 is not one of the experiment's seeds"
            ),
            (
                #"{"name": "t", "tasks": [{"family": "addition"}], "offline": {"questions": 0}, "arms": [{"name": "a", "method": "sft"}]}"#,
                "offline.questions is 0"
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
