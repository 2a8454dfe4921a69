// An offline arm's data, from its trace pool, with each question's weight record; and what a run will cost.

import VRModel
import VRObjectives
import VRRecords
import VRTasks
import VRText
import VRTraining
import VRWorker

extension ExperimentRunner {
    /// What a run of `arm` will cost: the previous seed's measured cost, else its budget.
    func expectedCost(_ arm: ArmConfiguration, before: ArmRun?) -> String {
        if let before {
            return "expect about \(Int(before.wallSeconds))s, \(before.sampledTokens) sampled and "
                + "\(before.trainedTokens ?? 0) trained tokens, as with seed \(before.seed)"
        }
        let training = configuration.training
        let steps = "\(arm.modelSteps ?? training.modelSteps) steps of \(training.questionsPerStep)"
        switch (arm.method, arm.mode) {
        case (.sft, _):
            return "budget: \(steps) reference examples, nothing sampled"
        case (_, .offline):
            return "budget: \(steps) examples drawn from the \(arm.poolSource.name) trace pool's first "
                + "\(arm.traces ?? configuration.traces) traces per question (sampled once per seed for every "
                + "offline arm)"
        case (_, .online):
            return "budget: \(steps) questions with \(arm.traces ?? configuration.traces) traces each, sampled "
                + "by \(configuration.workers) workers as it trains"
        }
    }

    /// The trace pool an offline arm draws on for `seed`, sampled first if no earlier arm did, with the offline
    /// questions it covers.
    func offlinePool(_ arm: ArmConfiguration, seed: UInt64) throws -> OfflinePool {
        let source = arm.poolSource
        let traces = configuration.poolTraces(source) ?? configuration.traces
        let questions = try TaskDataset.read(from: offlineTasks, verifier: nil)
        let pool = try poolStage.sample(
            source, traces: traces, seed: seed, questions: questions, reasoning: initialReasoning,
            posterior: source.proposal == .hintedPosterior ? initialPosterior(hint: source.hint) : initialReasoning)
        return OfflinePool(questions: questions, pooled: pool)
    }

    /// An offline arm's SFT data, built from its trace pool, the tokens sampled for the pooled traces it drew on,
    /// and each question's weight record (for the bias analysis).
    func offlineData(
        _ arm: ArmConfiguration, seed: UInt64, pool offline: OfflinePool
    ) throws -> (data: PromptResponseDataset, sampledTokens: Int, records: [QuestionWeightRecord]) {
        let source = arm.poolSource
        let (questions, pool) = (offline.questions, offline.pooled)
        let (text, renderer) = try ModelText.withTemplates(forModelAt: initialReasoning, hint: source.hint)
        let k = arm.traces ?? configuration.traces
        let builder = try DataBuilder(
            selection: arm.offlineSelection(traces: k), maxTraceTokens: configuration.training.maxTraceTokens,
            renderer: renderer, text: text)
        var examples: [BuiltExample] = []
        var records: [QuestionWeightRecord] = []
        var sampledTokens = 0
        for (item, pooled) in zip(questions.items, pool) {
            let built = try builder.examples(for: item, pooled: pooled)
            examples += built
            let considered = pooled.prefix(k).traces
            sampledTokens += considered.reduce(0) { $0 + $1.sampledTokens }
            records.append(try Self.record(item, considered: considered, examples: built))
        }
        let withTraces = Set(examples.filter { !$0.isReference }.map(\.questionID)).count
        progress(
            "\(arm.name), seed \(seed): \(examples.count) examples, \(withTraces) of \(pool.count) questions with "
                + "sampled traces")
        let data = PromptResponseDataset(
            examples: examples.map {
                PromptResponseExample(prompt: $0.prompt, response: $0.response, weight: $0.weight)
            })
        return (data, sampledTokens, records)
    }

    /// A question's weight record in an offline arm: its traces' weights as examples, their accuracy, and the
    /// effective weight toward the posterior (traces with a correct answer count as correct, as in the learner).
    private static func record(
        _ item: TaskItem, considered: [PooledTrace], examples: [BuiltExample]
    ) throws -> QuestionWeightRecord {
        var weights = [Double](repeating: 0, count: considered.count)
        for example in examples { if let trace = example.trace { weights[trace] += example.weight } }
        let usable = considered.filter { $0.isUsable && $0.sampledAnswers > 0 }
        let accuracy =
            usable.isEmpty
            ? 0 : usable.reduce(0) { $0 + Double($1.correctAnswers) / Double($1.sampledAnswers) } / Double(usable.count)
        return QuestionWeightRecord(
            step: 0, questionID: item.id, family: item.familyName, difficulty: item.difficulty,
            traces: considered.count, traceAccuracy: accuracy, totalWeight: weights.reduce(0, +),
            effectiveWeight: try effectiveWeight(
                sampleWeights: weights, correct: considered.map { $0.correctAnswers > 0 }))
    }
}

/// An offline arm's trace pool and the questions it covers, in the same order.
struct OfflinePool {
    /// The offline split's questions.
    let questions: TaskDataset
    /// Each question's pooled traces.
    let pooled: [PooledQuestion]
}
