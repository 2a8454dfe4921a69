import Foundation
import VRCore
import VRRecords
import VRReport
import VRWorker

/// A synthetic run directory with known numbers: an initial model, SFT, variational arms for every comparison
/// group, RFT and GRPO, two or three seeds each, and learner files for the variational reference arm, RFT and GRPO.
///
/// Scores derive from one overall Avg@k value `a` per run: family `addition` has a - 0.1 and `parity` a + 0.1;
/// level 1 has a + 0.2, level 2 a and level 3 a - 0.2; pass@k is Avg@k / 2 + 0.5 everywhere.
enum ReportFixture {
    static let families = ["addition", "parity"]
    static let difficulties = [1, 2, 3]
    static let configurationText = "{\n  \"name\": \"miniature\",\n  \"seeds\": [1, 2, 3]\n}\n"

    static func scores(_ average: Double) -> EvaluationReport.Scores {
        EvaluationReport.Scores(questionCount: 12, averageAtK: average, passAtK: average / 2 + 0.5)
    }

    /// The evaluation of overall Avg@k `average`; with `byFamilyAndLevel`, also per family and level, each
    /// family's score with its level's offset (+0.2, 0, -0.2).
    static func evaluation(_ average: Double, byFamilyAndLevel: Bool = false) -> EvaluationReport {
        let offsets = [1: 0.2, 2: 0.0, 3: -0.2]
        let familyScores = ["addition": average - 0.1, "parity": average + 0.1]
        return EvaluationReport(
            samplesPerQuestion: 4, temperature: 1, overall: scores(average),
            byDifficulty: offsets.mapValues { scores(average + $0) }, byFamily: familyScores.mapValues(scores),
            byFamilyAndDifficulty: byFamilyAndLevel
                ? familyScores.mapValues { family in offsets.mapValues { scores(family + $0) } } : nil)
    }

    /// An arm whose run number i (from 0) has seed i + 1, wall time 10 + i seconds and 1000 K + 100 i tokens.
    static func arm(
        _ name: String, _ label: String, groups: [String], method: String = "variational",
        estimator: String? = "acc", selection: String? = "weighted", traces: Int? = 4,
        proposal: String? = "hinted-posterior", averages: [Double], metrics: Bool = false, questions: Bool = false,
        byFamilyAndLevel: Bool = false
    ) -> ArmResult {
        let runs = averages.enumerated().map { index, average in
            let seed = UInt64(index + 1)
            return ArmRun(
                seed: seed, wallSeconds: 10 + Double(index), modelSteps: 4, posteriorSteps: 2,
                sampledTokens: 1000 * (traces ?? 0) + 100 * index,
                metricsFile: metrics ? "arms/\(name)/seed-\(seed)/metrics.jsonl" : nil,
                questionsFile: questions ? "arms/\(name)/seed-\(seed)/questions.jsonl" : nil,
                evaluation: evaluation(average, byFamilyAndLevel: byFamilyAndLevel))
        }
        return ArmResult(
            name: name, label: label, groups: groups, method: method, estimator: estimator, selection: selection,
            traces: traces, proposal: proposal, hint: proposal == "hinted-posterior" ? "worked-solution" : nil,
            learningRate: method == "grpo" ? 1e-4 : 3e-4, runs: runs)
    }

    static let sft = arm(
        "sft", "SFT", groups: ["main"], method: "sft", estimator: nil, selection: nil, traces: nil, proposal: nil,
        averages: [0.2, 0.4])
    static let variationalAcc = arm(
        "variational-acc", "Variational (Acc)", groups: ["main", "k", "estimator", "selection", "hint"],
        averages: [0.5, 0.6, 0.7], metrics: true, questions: true)
    static let variationalGML = arm(
        "variational-gml", "Variational (GML)", groups: ["main", "estimator"], estimator: "gml", averages: [0.62, 0.66])
    static let traces1 = arm("variational-k1", "Variational K=1", groups: ["k"], traces: 1, averages: [0.3, 0.3])
    static let traces2 = arm("variational-k2", "Variational K=2", groups: ["k"], traces: 2, averages: [0.68, 0.76])
    static let bestTrace = arm(
        "variational-best", "Variational (best trace)", groups: ["selection"], selection: "best",
        averages: [0.55, 0.57])
    static let unhinted = arm(
        "variational-unhinted", "Variational (traces from pi0)", groups: ["hint"], proposal: "unhinted-posterior",
        averages: [0.8, 0.8])
    static let rft = arm(
        "rft", "RFT", groups: ["main"], method: "rft", estimator: nil, selection: nil, proposal: "reasoning-model",
        averages: [0.4, 0.45], metrics: true, questions: true)
    static let grpo = arm(
        "grpo", "GRPO (0/1 & std)", groups: ["main"], method: "grpo", estimator: nil, selection: nil,
        proposal: "reasoning-model", averages: [0.35, 0.55], questions: true)

    static func results(arms: [ArmResult], initial: EvaluationReport = evaluation(0.2)) -> ExperimentResults {
        ExperimentResults(
            name: "miniature", command: "vr experiment --config miniature.json --run runs/miniature",
            configurationFile: "experiment.json", machine: "2 cores, Linux", families: families,
            difficulties: difficulties, samplesPerQuestion: 4, temperature: 1,
            initial: ArmRun(
                seed: 0, wallSeconds: 0, modelSteps: 0, posteriorSteps: 0, sampledTokens: 0, metricsFile: nil,
                questionsFile: nil, evaluation: initial),
            arms: arms, schedule: "AdamW from a fresh state, linear warmup over 5 steps")
    }

    static let allArms = [sft, variationalAcc, variationalGML, traces1, traces2, bestTrace, unhinted, rft, grpo]

    // MARK: - Learner files

    /// A metrics line; a nil ESS or bound is written as null, and a nil trace length leaves the key out (as in files
    /// written before it was recorded).
    static func metricsLine(
        step: Int, phase: RolloutPhase, loss: Double, accuracy: Double, ess: Double? = 1.8, zeroWeight: Int = 0,
        bound: Double? = -2.5, traceTokens: Double? = nil
    ) -> String {
        let json = { (value: Double?) in value.map { "\($0)" } ?? "null" }
        let traceTokensField = traceTokens.map { "\"meanTraceTokens\":\($0)," } ?? ""
        return """
            {"step":\(step),"phase":"\(phase)","parameterVersion":\(step),"loss":\(loss),"gradientNorm":1.5,\
            "learningRate":0.001,"bound":\(json(bound)),"effectiveSampleSize":\(json(ess)),\
            "zeroWeightQuestions":\(zeroWeight),"questions":4,"traces":16,"meanAccuracy":\(accuracy),\
            \(traceTokensField)"meanLag":0.5,"maxLag":1,"tokens":640,"stepSeconds":0.25,"tokensPerSecond":2560,\
            "rolloutsPerSecond":12,"sampledTraceTokens":480,"elapsedSeconds":\(Double(step)),"staleBatches":0,\
            "duplicateBatches":0,"rejectedBatches":0,"lostWorkers":0}
            """
    }

    static func questionLine(difficulty: Int, accuracy: Double, weight: Double, family: String = "addition") -> String {
        """
        {"step":2,"questionID":"q\(difficulty)","family":"\(family)","difficulty":\(difficulty),"traces":4,\
        "traceAccuracy":\(accuracy),"totalWeight":\(weight),"effectiveWeight":\(weight)}
        """
    }

    /// Model-phase loss by model step: seed 1 (2, 1), seed 2 (3, 2), seed 3 (2.5); trace accuracy seed 1
    /// (0.4, 0.6), seed 2 (0.2, 0.5), seed 3 (0.3). Seed 1 interleaves posterior steps (trace length 500).
    ///
    /// Diagnostics by model step, seeds 1, 2, 3: ESS (2.2, 1.4), (3.0, null), (2.5); zero-weight questions of 4
    /// (1, 3), (0, 1), (2); bound (-3, -1.5), (-2, -1), (null); trace length (120, 60), (100, 80), (110).
    static let variationalMetrics = [
        [
            metricsLine(step: 1, phase: .posterior, loss: 9, accuracy: 0.1, traceTokens: 500),
            metricsLine(
                step: 2, phase: .model, loss: 2, accuracy: 0.4, ess: 2.2, zeroWeight: 1, bound: -3, traceTokens: 120),
            metricsLine(step: 3, phase: .posterior, loss: 9, accuracy: 0.1, traceTokens: 500),
            metricsLine(
                step: 4, phase: .model, loss: 1, accuracy: 0.6, ess: 1.4, zeroWeight: 3, bound: -1.5, traceTokens: 60),
        ],
        [
            metricsLine(
                step: 1, phase: .model, loss: 3, accuracy: 0.2, ess: 3, zeroWeight: 0, bound: -2, traceTokens: 100),
            metricsLine(
                step: 2, phase: .model, loss: 2, accuracy: 0.5, ess: nil, zeroWeight: 1, bound: -1, traceTokens: 80),
        ],
        [
            metricsLine(
                step: 1, phase: .model, loss: 2.5, accuracy: 0.3, ess: 2.5, zeroWeight: 2, bound: nil,
                traceTokens: 110)
        ],
    ]

    /// RFT seed s (1, 2) at model step i (1 to 20): ESS 1 + i / 5 + 0.4 (s - 1); zero-weight questions of 4 for
    /// seed 1 2 up to step 10 and 1 after, for seed 2 one fewer; trace accuracy 0.3 + 0.02 i + 0.1 (s - 1); no
    /// bound and no trace length.
    static func rftMetrics(seed: Int) -> [String] {
        (1...20).map { step in
            let i = Double(step)
            let s = Double(seed - 1)
            return metricsLine(
                step: step, phase: .model, loss: 2 - i / 20, accuracy: 0.3 + 0.02 * i + 0.1 * s,
                ess: 1 + i / 5 + 0.4 * s,
                zeroWeight: (step <= 10 ? 2 : 1) - (seed - 1), bound: nil)
        }
    }

    /// Every seed gives each level one question of weight 1, and level 3 also a question of weight 0.
    static let variationalQuestions = [
        questionLine(difficulty: 1, accuracy: 0.9, weight: 1), questionLine(difficulty: 2, accuracy: 0.5, weight: 1),
        questionLine(difficulty: 3, accuracy: 0.2, weight: 1), questionLine(difficulty: 3, accuracy: 0, weight: 0),
    ]

    /// RFT weights are the accuracy: total 3.4, so level shares 1.8/3.4, 1.2/3.4 and 0.4/3.4.
    static let rftQuestions = [
        [
            questionLine(difficulty: 1, accuracy: 0.9, weight: 0.9),
            questionLine(difficulty: 2, accuracy: 0.6, weight: 0.6),
            questionLine(difficulty: 3, accuracy: 0.1, weight: 0.1),
        ],
        [
            questionLine(difficulty: 1, accuracy: 0.9, weight: 0.9),
            questionLine(difficulty: 2, accuracy: 0.6, weight: 0.6),
            questionLine(difficulty: 3, accuracy: 0.3, weight: 0.3),
        ],
    ]

    /// GRPO weights made to favour hard questions (against claim (f)): shares 0.5/6.5, 2/6.5 and 4/6.5.
    static let grpoQuestions = [
        questionLine(difficulty: 1, accuracy: 0.9, weight: 0.25), questionLine(difficulty: 2, accuracy: 0.5, weight: 1),
        questionLine(difficulty: 3, accuracy: 0.2, weight: 2),
    ]

    /// The files of the full fixture, by path relative to the run directory.
    static var learnerFiles: [String: [String]] {
        var files: [String: [String]] = [:]
        for (index, lines) in variationalMetrics.enumerated() {
            files["arms/variational-acc/seed-\(index + 1)/metrics.jsonl"] = lines
            files["arms/variational-acc/seed-\(index + 1)/questions.jsonl"] = variationalQuestions
        }
        files["arms/rft/seed-1/metrics.jsonl"] = rftMetrics(seed: 1)
        files["arms/rft/seed-2/metrics.jsonl"] = rftMetrics(seed: 2)
        for (index, lines) in rftQuestions.enumerated() {
            files["arms/rft/seed-\(index + 1)/questions.jsonl"] = lines
        }
        files["arms/grpo/seed-1/questions.jsonl"] = grpoQuestions
        files["arms/grpo/seed-2/questions.jsonl"] = grpoQuestions
        return files
    }

    /// Writes a run directory under a fresh temporary directory and returns it.
    static func writeRunDirectory(
        results: ExperimentResults = results(arms: allArms), files: [String: [String]] = learnerFiles
    ) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-report-\(UUID())")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write(encoder.encode(results), to: directory.appendingPathComponent("results.json"))
        try write(Data(configurationText.utf8), to: directory.appendingPathComponent("experiment.json"))
        for (path, lines) in files {
            try write(Data((lines.joined(separator: "\n") + "\n").utf8), to: directory.appendingPathComponent(path))
        }
        return directory
    }

    static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}
