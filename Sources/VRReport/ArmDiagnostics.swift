// Why an arm trained as it did, from its step metrics: how concentrated its weights were, how many questions taught
// nothing, the bound, and how accurate and how long its traces were, over the model steps.

import VRRecords

/// A model-phase quantity near the start and near the end of an arm's training.
public struct StartAndEnd: Sendable, Equatable {
    /// The mean over the first tenth of the arm's model steps (at least one step); nil when none has a value.
    public var first: Double?
    /// The mean over the last tenth of the arm's model steps (at least one step); nil when none has a value.
    public var last: Double?
}

/// The model-phase diagnostics of one arm: curves over model steps, each a mean and spread across seeds.
public struct ArmDiagnostics: Sendable {
    /// The arm's identifier.
    public let name: String
    /// The arm's label in tables and legends.
    public let label: String
    /// The arm's traces per question K, the most its effective sample size can be; nil for arms without K.
    public let traces: Int?
    /// Model steps of the arm's longest seed.
    public let modelSteps: Int
    /// The mean effective sample size of a step's weights.
    public let effectiveSampleSize: [ChartPoint]
    /// The share of a step's questions whose traces all had zero weight.
    public let zeroWeightShare: [ChartPoint]
    /// The multi-trace bound estimate ([E3]).
    public let bound: [ChartPoint]
    /// The mean sampled-answer accuracy of a step's traces.
    public let traceAccuracy: [ChartPoint]
    /// The mean length of a step's traces in tokens; empty when the metrics do not record it.
    public let traceTokens: [ChartPoint]

    /// The diagnostics of `arm`, or nil when none of its runs has a metrics file.
    /// - Parameters:
    ///   - arm: one of the results' arms.
    ///   - run: the run directory's contents, holding the arm's metrics.
    public init?(arm: ArmResult, run: ExperimentRun) {
        let seeds = arm.runs.compactMap { run.metrics(of: $0) }
        guard !seeds.isEmpty else { return nil }
        name = arm.name
        label = arm.label
        traces = arm.traces
        modelSteps = TrainingCurve.modelStepCount(seeds)
        effectiveSampleSize = TrainingCurve.modelPhase(seeds) { $0.effectiveSampleSize }
        zeroWeightShare = TrainingCurve.modelPhase(seeds) {
            $0.questions > 0 ? Double($0.zeroWeightQuestions) / Double($0.questions) : nil
        }
        bound = TrainingCurve.modelPhase(seeds) { $0.bound }
        traceAccuracy = TrainingCurve.modelPhase(seeds) { $0.meanAccuracy }
        traceTokens = TrainingCurve.modelPhase(seeds) { $0.meanTraceTokens }
    }

    /// The means of `curve` over the first and the last tenth of the arm's model steps.
    /// - Parameter curve: one of the arm's curves.
    /// - Returns: the start and end values.
    public func startAndEnd(of curve: [ChartPoint]) -> StartAndEnd {
        let window = Double(max(1, modelSteps / 10))
        let mean = { (points: [ChartPoint]) in
            points.isEmpty ? nil : points.reduce(0) { $0 + $1.y } / Double(points.count)
        }
        return StartAndEnd(
            first: mean(curve.filter { $0.x <= window }),
            last: mean(curve.filter { $0.x > Double(modelSteps) - window }))
    }
}
