// The settings of an experiment's offline arms: which training questions the trace pools cover, and how their
// traces are sampled.

import VRCore
import VRText
import VRWire
import VRWorker

/// How the trace pools of the offline arms are sampled (the released code's offline mode).
public struct OfflineSettings: Codable, Sendable, Equatable {
    /// The training questions the pools cover, the first of the training split; nil for the online arms' count,
    /// `training.modelSteps` times `training.questionsPerStep`.
    public var questions: Int?
    /// The temperature of the pools' traces (the released code samples at 0.7).
    public var traceTemperature: Float = 0.7

    /// The defaults above.
    public init() {}

    /// Decodes with defaults for missing keys; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        questions = try container.decodeIfPresent(Int.self, forKey: .questions)
        traceTemperature = try container.decode(.traceTemperature, default: OfflineSettings().traceTemperature)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case questions, traceTemperature
    }
}

/// Who samples a trace pool: q with one kind of hint, or pi0 without a hint.
public struct PoolSource: Hashable, Sendable {
    /// The proposal: the hinted posterior, or the unhinted one (pi0 served as q).
    public var proposal: TraceProposal
    /// q's hint; irrelevant (and `workedSolution`) for pi0's pool.
    public var hint: TemplateConfiguration.Hint

    /// The pool's file name without the seed: `q`, `q-answer-hint` or `pi0`.
    public var name: String {
        guard proposal == .hintedPosterior else { return "pi0" }
        return hint == .workedSolution ? "q" : "q-\(hint.rawValue)-hint"
    }
}

extension ArmConfiguration {
    /// The pool an offline arm draws its traces from.
    public var poolSource: PoolSource {
        proposal == .hintedPosterior
            ? PoolSource(proposal: .hintedPosterior, hint: hint)
            : PoolSource(proposal: .unhintedPosterior, hint: .workedSolution)
    }
}

extension ExperimentConfiguration {
    /// The offline arms.
    public var offlineArms: [ArmConfiguration] {
        arms.filter { $0.mode == .offline && $0.method != .sft }
    }

    /// The traces per question of the pool `source`: the largest K of the offline arms that draw from it.
    /// - Parameter source: the pool.
    /// - Returns: K, or nil when no offline arm draws from it.
    public func poolTraces(_ source: PoolSource) -> Int? {
        offlineArms.filter { $0.poolSource == source }.map { $0.traces ?? traces }.max()
    }

    /// The seeds an arm runs with.
    /// - Parameter arm: the arm.
    /// - Returns: its own seeds, or the experiment's.
    public func seeds(of arm: ArmConfiguration) -> [UInt64] {
        arm.seeds ?? seeds
    }
}

extension ArmConfiguration {
    /// How an offline arm builds its data from the first `traces` pooled traces of each question.
    /// - Parameter traces: K.
    /// - Returns: RFT's weights, or the arm's estimator, selection and normalisation, with its reference mix.
    public func offlineSelection(traces: Int) -> OfflineSelection {
        let weighting: OfflineSelection.Weighting =
            method == .rft
            ? .rejectionSampling
            : .variational(
                estimator: estimator.estimator, mode: selection == .best ? .bestTrace : .allWeighted,
                normalization: normalization)
        return OfflineSelection(weighting: weighting, traces: traces, includesReferences: mixesReferences)
    }
}
