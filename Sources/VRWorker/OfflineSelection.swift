// How an offline data set is built from pooled traces: the variational weights of the released code, or RFT's.

import VRObjectives

/// How the examples of an offline data set are chosen and weighted from each question's pooled traces.
///
/// ```
/// variational: log rho_k = log pi0(Y_x | x, z_k) + (per-token) log pi0(z_k | x) - log q(z_k | x, y')  [E5, E6]
///              all K with rhoTilde_k [E4] (the 1K setting), or the argmax unweighted (the 17K setting)
///              no usable trace: the reference example
/// rejection sampling: every trace with a correct answer, weight acc_k / K  [E11]
/// ```
public struct OfflineSelection: Sendable, Equatable {
    /// How traces become weighted examples.
    public enum Weighting: Sendable, Equatable {
        /// The variational weights with this estimator and normalisation: all traces weighted, or the best one.
        case variational(estimator: Estimator, mode: TraceSelection.Mode, normalization: TraceNormalization)
        /// RFT: a fixed reference model's traces with a correct answer, each weighted by its accuracy over K, so
        /// that a question's total weight is its accuracy (the easy-question bias of [E11]).
        case rejectionSampling
    }

    /// How traces become weighted examples.
    public var weighting: Weighting
    /// K: the first this many pooled traces of each question; nil for all of them.
    public var traces: Int?
    /// Whether every question's reference example joins the set with weight 1 (the 17K setting's mix with the
    /// original data); a question whose traces all failed then has it once.
    public var includesReferences: Bool

    /// A selection.
    /// - Parameters:
    ///   - weighting: how traces become weighted examples.
    ///   - traces: K, or nil for every pooled trace.
    ///   - includesReferences: whether the reference examples join the set.
    public init(weighting: Weighting, traces: Int? = nil, includesReferences: Bool = false) {
        self.weighting = weighting
        self.traces = traces
        self.includesReferences = includesReferences
    }

    /// The released code's selection with Acc: all traces weighted, or the best one.
    /// - Parameters:
    ///   - mode: all weighted or the best.
    ///   - normalization: the trace ratio per token or exact.
    /// - Returns: the selection, without the reference mix.
    public static func accuracy(
        _ mode: TraceSelection.Mode, normalization: TraceNormalization = .perToken
    )
        -> OfflineSelection
    {
        OfflineSelection(weighting: .variational(estimator: .accuracy, mode: mode, normalization: normalization))
    }
}
