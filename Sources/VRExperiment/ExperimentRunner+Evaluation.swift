// Scoring a checkpoint on the held-out split: Avg@k and pass@k, greedy decoding when asked, cached in the run
// directory.

import Foundation
import VRModel
import VRRecords
import VRTasks
import VRText
import VRWorker

extension ExperimentRunner {
    /// Avg@k and pass@k of a checkpoint on the test split, and its greedy scores when the settings ask for them;
    /// read from the directory `cache` when an earlier invocation wrote them there.
    func evaluation(
        of checkpoint: String, style: ReasoningEvaluator.PromptStyle = .reasoning, cachedIn cache: String?,
        _ test: TaskDataset
    ) throws -> (sampled: EvaluationReport, greedy: EvaluationReport?) {
        let settings = configuration.evaluation
        let sampled = try evaluation(
            of: checkpoint, style: style, samples: settings.samples, temperature: settings.temperature,
            cachedIn: cache.map { $0 + "/evaluation.json" }, test)
        guard settings.greedy else { return (sampled, nil) }
        let greedy = try evaluation(
            of: checkpoint, style: style, samples: 1, temperature: 0,
            cachedIn: cache.map { $0 + "/evaluation-greedy.json" }, test)
        return (sampled, greedy)
    }

    func evaluation(
        of checkpoint: String, style: ReasoningEvaluator.PromptStyle, samples: Int, temperature: Float,
        cachedIn cache: String?, _ test: TaskDataset
    ) throws -> EvaluationReport {
        if let cache, let data = FileManager.default.contents(atPath: cache),
            let report = try? JSONDecoder().decode(EvaluationReport.self, from: data)
        {
            return report
        }
        let (text, renderer) = try ModelText.withTemplates(forModelAt: checkpoint)
        let evaluator = try ReasoningEvaluator(
            samplesPerQuestion: samples, temperature: temperature,
            maxResponseTokens: configuration.evaluation.maxResponseTokens, renderer: renderer, text: text,
            style: style)
        let report = try evaluator.evaluate(try Transformer(checkpointAt: checkpoint), on: test.items, seed: 1)
        if let cache { try AtomicFile.write(Array(try JSONEncoder().encode(report)), to: cache) }
        return report
    }
}
