// One arm of an experiment: a method and its options, trained from the shared initial models.

import VRCore
import VRLearner
import VRObjectives
import VRText
import VRWire

/// How an arm trains pi.
public enum ArmMethod: String, Codable, Sendable, CaseIterable {
    /// More SFT on the reference thoughts (the paper's baseline trained on the same data).
    case sft
    /// The variational method ([E4]-[E9]).
    case variational
    /// Rejection-sampling fine-tuning on a fixed reference model's correct samples ([E11]).
    case rft
    /// GRPO with 0/1 rewards on the current model's samples ([E12]).
    case grpo
}

/// Where an arm's training data comes from.
public enum ArmMode: String, Codable, Sendable, CaseIterable {
    /// Sampled as it trains, through the learner and workers (Algorithm 1 run continuously: T > 1).
    case online
    /// One round, as the paper's released pipeline runs it: traces sampled once from the fixed initial models into
    /// a trace pool shared by every offline arm of a seed, weighted, then SFT from pi0 on them with the budget's
    /// steps.
    case offline
}

/// Which posterior an arm's learner serves as q.
public enum PosteriorStart: String, Codable, Sendable, CaseIterable {
    /// The hinted q of stage 2.
    case trained
    /// pi0 itself, for proposals that sample a fixed pi0 without the hint.
    case initial
}

/// One arm: its name, the comparisons it belongs to, and its method with options.
///
/// Options an arm leaves out take the method's natural values: the variational method samples from the hinted
/// q (trained along, [E9], when online) with Acc and all traces weighted; RFT samples a fixed pi0 without the hint
/// with one answer per trace (online; offline it uses the pool's); GRPO samples the current pi with one answer per
/// trace. Neither baseline trains q. An offline arm with the best trace mixes the references in (the 17K setting).
public struct ArmConfiguration: Codable, Sendable, Equatable {
    /// A short identifier, also its directory name: letters, digits, `-` and `_`.
    public var name: String
    /// Its name in the report's tables; the identifier when left out.
    public var label: String
    /// The report's comparisons it takes part in: `main`, `k`, `estimator`, `selection`, `hint`.
    public var groups: [String]
    /// How it trains pi.
    public var method: ArmMethod
    /// Online through the learner, or offline from the shared trace pool (the SFT arm ignores it).
    public var mode: ArmMode
    /// The experiment's seeds this arm runs with; nil for all of them.
    public var seeds: [UInt64]?
    /// Its optimizer steps on pi; nil for the budget's `training.modelSteps` (an online arm may take fewer, to
    /// sample as many tokens as the offline arms).
    public var modelSteps: Int?
    /// Offline: whether every question's reference example joins the arm's data (the 17K setting's mix).
    public var mixesReferences: Bool
    /// The variational estimator.
    public var estimator: ModelObjective.AnswerEstimator
    /// The variational selection.
    public var selection: ModelObjective.Selection
    /// How the trace ratio enters the variational weights ([E5]): per token (the paper's practice) or exact.
    public var normalization: TraceNormalization
    /// K, traces per question; nil for the experiment's default.
    public var traces: Int?
    /// Who samples the model-phase traces.
    public var proposal: TraceProposal
    /// The posterior the learner serves as q.
    public var posterior: PosteriorStart
    /// Whether the learner trains q too (the posterior phase of [E9]).
    public var trainsPosterior: Bool
    /// n, answers per trace for Acc; nil for the experiment's default.
    public var answersPerTrace: Int?
    /// pi's peak learning rate; nil for the experiment's `training.learningRate`.
    public var learningRate: Float?
    /// GRPO's clip range and KL coefficient.
    public var surrogate: ClippedSurrogate
    /// What q's prompt gives away: the worked solution (the paper's hint) or only the answer (an ablation).
    public var hint: TemplateConfiguration.Hint

    /// The comparison groups the report knows.
    public static let knownGroups: Set<String> = ["main", "k", "estimator", "selection", "hint"]

    /// The model-phase objective of a learner arm.
    public var objective: ModelObjective {
        var objective = ModelObjective()
        objective.method =
            switch method {
            case .sft, .variational: .variational
            case .rft: .rft
            case .grpo: .grpo
            }
        objective.estimator = estimator
        objective.selection = selection
        objective.proposal = proposal
        objective.surrogate = surrogate
        return objective
    }

    /// An arm of `method` with the method's natural options, described above.
    /// - Parameters:
    ///   - name: its identifier, also its label.
    ///   - method: how it trains pi.
    ///   - mode: online through the learner, or offline from the trace pool.
    public init(name: String, method: ArmMethod, mode: ArmMode = .online) {
        self.name = name
        label = name
        groups = []
        self.method = method
        self.mode = mode
        mixesReferences = false
        estimator = .acc
        selection = .weighted
        normalization = .perToken
        proposal = method.naturalProposal
        posterior = proposal.naturalPosterior
        trainsPosterior = mode == .online && method.naturallyTrainsPosterior(proposal)
        answersPerTrace = method.naturalAnswersPerTrace
        surrogate = .standard
        hint = .workedSolution
    }

    /// Decodes an arm; unknown keys are errors.
    ///
    /// Missing keys take the values the type's discussion describes.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decodeIfPresent(String.self, forKey: .label) ?? name
        groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        method = try container.decode(ArmMethod.self, forKey: .method)
        mode = try container.decodeIfPresent(ArmMode.self, forKey: .mode) ?? .online
        seeds = try container.decodeIfPresent([UInt64].self, forKey: .seeds)
        modelSteps = try container.decodeIfPresent(Int.self, forKey: .modelSteps)
        estimator = try container.decodeIfPresent(ModelObjective.AnswerEstimator.self, forKey: .estimator) ?? .acc
        selection = try container.decodeIfPresent(ModelObjective.Selection.self, forKey: .selection) ?? .weighted
        mixesReferences =
            try container.decodeIfPresent(Bool.self, forKey: .mixesReferences)
            ?? (mode == .offline && selection == .best)
        normalization =
            try container.decodeIfPresent(TraceNormalization.self, forKey: .normalization) ?? .perToken
        traces = try container.decodeIfPresent(Int.self, forKey: .traces)
        proposal = try container.decodeIfPresent(TraceProposal.self, forKey: .proposal) ?? method.naturalProposal
        posterior =
            try container.decodeIfPresent(PosteriorStart.self, forKey: .posterior)
            ?? proposal.naturalPosterior
        trainsPosterior =
            try container.decodeIfPresent(Bool.self, forKey: .trainsPosterior)
            ?? (mode == .online && method.naturallyTrainsPosterior(proposal))
        answersPerTrace =
            try container.decodeIfPresent(Int.self, forKey: .answersPerTrace) ?? method.naturalAnswersPerTrace
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate)
        surrogate = ClippedSurrogate(
            clipRange: try container.decodeIfPresent(Double.self, forKey: .clipRange)
                ?? ClippedSurrogate.standard.clipRange,
            klCoefficient: try container.decodeIfPresent(Double.self, forKey: .klCoefficient)
                ?? ClippedSurrogate.standard.klCoefficient)
        hint = try container.decodeIfPresent(TemplateConfiguration.Hint.self, forKey: .hint) ?? .workedSolution
    }

    /// Encodes the arm with the keys it is decoded from.
    /// - Parameter encoder: the encoder.
    /// - Throws: the encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(label, forKey: .label)
        try container.encode(groups, forKey: .groups)
        try container.encode(method, forKey: .method)
        try container.encode(mode, forKey: .mode)
        try container.encodeIfPresent(seeds, forKey: .seeds)
        try container.encodeIfPresent(modelSteps, forKey: .modelSteps)
        try container.encode(mixesReferences, forKey: .mixesReferences)
        try container.encode(estimator, forKey: .estimator)
        try container.encode(selection, forKey: .selection)
        try container.encode(normalization, forKey: .normalization)
        try container.encodeIfPresent(traces, forKey: .traces)
        try container.encode(proposal, forKey: .proposal)
        try container.encode(posterior, forKey: .posterior)
        try container.encode(trainsPosterior, forKey: .trainsPosterior)
        try container.encodeIfPresent(answersPerTrace, forKey: .answersPerTrace)
        try container.encodeIfPresent(learningRate, forKey: .learningRate)
        try container.encode(surrogate.clipRange, forKey: .clipRange)
        try container.encode(surrogate.klCoefficient, forKey: .klCoefficient)
        try container.encode(hint, forKey: .hint)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, label, groups, method, mode, seeds, modelSteps, mixesReferences, estimator, selection, normalization
        case traces
        case proposal, posterior, trainsPosterior, answersPerTrace, learningRate, clipRange, klCoefficient, hint
    }

    /// Checks the arm on its own.
    /// - Throws: `ExperimentError.invalid` naming the arm and the field.
    public func validate() throws(ExperimentError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }) else {
            throw .invalid("arm name \"\(name)\" must be 1-64 letters, digits, '-' or '_'")
        }
        if let unknown = groups.first(where: { !Self.knownGroups.contains($0) }) {
            throw .invalid(
                "arm \(name): unknown group \"\(unknown)\"; known: \(Self.knownGroups.sorted().joined(separator: ", "))"
            )
        }
        if let traces, !(1...64).contains(traces) { throw .invalid("arm \(name): traces \(traces) not in 1...64") }
        if let answersPerTrace, !(1...64).contains(answersPerTrace) {
            throw .invalid("arm \(name): answersPerTrace \(answersPerTrace) not in 1...64")
        }
        do { try surrogate.validate() } catch { throw .invalid("arm \(name): \(error)") }
        if trainsPosterior && proposal != .hintedPosterior {
            throw .invalid("arm \(name): trainsPosterior needs the hinted-posterior proposal")
        }
        if posterior == .initial && trainsPosterior {
            throw .invalid("arm \(name): a posterior started from pi0 cannot be trained as q")
        }
        if let modelSteps, modelSteps < 1 { throw .invalid("arm \(name): modelSteps \(modelSteps); at least 1") }
        if let seeds, seeds.isEmpty || Set(seeds).count != seeds.count {
            throw .invalid("arm \(name): seeds must be distinct, at least one")
        }
        guard mode == .offline else {
            if mixesReferences { throw .invalid("arm \(name): mixesReferences is for offline arms") }
            return
        }
        switch method {
        case .sft, .grpo:
            throw .invalid("arm \(name): offline arms are variational or rft (\(method.rawValue) has no offline mode)")
        case .rft where proposal != .unhintedPosterior:
            throw .invalid("arm \(name): offline RFT uses pi0's own traces (proposal unhinted-posterior)")
        case .variational where proposal == .reasoningModel:
            throw .invalid(
                "arm \(name): an offline arm's traces come from q (hinted-posterior) or pi0 (unhinted-posterior)")
        default:
            break
        }
        if trainsPosterior { throw .invalid("arm \(name): offline arms keep q fixed (trainsPosterior false)") }
    }
}

extension ArmMethod {
    /// Whether this is one of the RL-style baselines (RFT, GRPO).
    var isBaseline: Bool { self == .rft || self == .grpo }

    /// Who samples the method's traces unless the arm says otherwise.
    var naturalProposal: TraceProposal {
        switch self {
        case .sft, .variational: .hintedPosterior
        case .rft: .unhintedPosterior
        case .grpo: .reasoningModel
        }
    }

    /// n unless the arm says otherwise: one answer per trace for the baselines, the experiment's for the others.
    var naturalAnswersPerTrace: Int? { isBaseline ? 1 : nil }

    /// Whether an arm trains q unless it says otherwise: the variational method with q's hinted traces.
    func naturallyTrainsPosterior(_ proposal: TraceProposal) -> Bool {
        self == .variational && proposal == .hintedPosterior
    }
}

extension TraceProposal {
    /// The posterior an arm serves as q unless it says otherwise: the hinted q for its traces, else pi0.
    var naturalPosterior: PosteriorStart { self == .hintedPosterior ? .trained : .initial }
}
