// Errors raised by the objectives when their inputs cannot define a weight.

/// Invalid input to an objective, with the question, trace and token that hold the bad value.
///
/// The objectives never return NaN weights: input that would produce one (a NaN log-probability, a
/// count outside its range, a mismatched length) is reported here instead. Numerical health of valid
/// input (every trace at weight zero, a low effective sample size) is not an error; it comes back as
/// `WeightDiagnostics`.
public enum ObjectiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A log-probability, log-weight, reward or accuracy is not finite where that has no meaning.
    ///
    /// `-infinity` is accepted in `logPiTrace`, `referenceAnswer` and `logWeight` (probability zero,
    /// weight zero), but not in `logQTrace`: a trace sampled from q cannot have probability zero under q.
    case nonFiniteValue(NonFiniteKind, field: EvidenceField, at: EvidenceLocation)
    /// A trace's `logPiTrace` and `logQTrace` score a different number of tokens.
    case lengthMismatch(logPiCount: Int, logQCount: Int, at: EvidenceLocation)
    /// An Acc count violates `0 <= correct <= total` or `total > 0`.
    case invalidAnswerCounts(correct: Int, total: Int, at: EvidenceLocation)
    /// The answer evidence is of the wrong kind for the estimator (Acc needs sampled answers, GML and L
    /// need reference-answer log-probabilities).
    case estimatorMismatch(Estimator, at: EvidenceLocation)
    /// A reference answer has no tokens, so GML and L have nothing to score.
    case emptyReferenceAnswer(at: EvidenceLocation)
    /// A quantity that needs at least one trace (the bound, a normaliser) got none.
    case noTraces(at: EvidenceLocation)
    /// Finite log-probabilities of absurd size (near `+-1e308`) overflow when summed.
    case sumOverflow(field: EvidenceField, at: EvidenceLocation)
    /// A finite value lies outside its allowed range, e.g. an accuracy of 1.5 or a weight too large for Float.
    case valueOutOfRange(Double, field: EvidenceField, expected: String, at: EvidenceLocation)
    /// An argument other than the evidence is invalid: a token count, a length cap, an epsilon, or arrays
    /// that must have equal lengths.
    case invalidParameter(String)

    /// A message that names the value, its position and the rule it breaks.
    public var description: String {
        switch self {
        case .nonFiniteValue(let kind, let field, let location):
            let rule =
                field == .logQTrace && kind == .negativeInfinity
                ? "q cannot give probability zero to a trace it sampled; re-score the trace"
                : "only finite values\(Self.acceptsNegativeInfinity(field) ? " or -infinity" : "") are allowed"
            return "\(field.rawValue) holds \(kind.rawValue) at \(location): \(rule)"
        case .lengthMismatch(let logPiCount, let logQCount, let location):
            return "\(location): logPiTrace scores \(logPiCount) tokens but logQTrace scores \(logQCount); "
                + "both must score the same trace tokens"
        case .invalidAnswerCounts(let correct, let total, let location):
            return "\(location): \(correct) correct of \(total) sampled answers; need 0 <= correct <= total, total > 0"
        case .estimatorMismatch(let estimator, let location):
            return "\(location): the \(estimator) estimator needs \(estimator.requiredEvidence)"
        case .emptyReferenceAnswer(let location):
            return "\(location): the reference answer has no token log-probabilities"
        case .noTraces(let location):
            return "\(location): at least one trace is needed"
        case .sumOverflow(let field, let location):
            return "the sum of \(field.rawValue) overflows at \(location); log-probabilities must not exceed 0"
        case .valueOutOfRange(let value, let field, let expected, let location):
            return "\(field.rawValue) is \(value) at \(location); expected \(expected)"
        case .invalidParameter(let message):
            return "invalid parameter: \(message)"
        }
    }

    /// The same error with the question index filled in, for batch functions that loop over questions.
    /// - Parameter question: the question's position in the batch.
    /// - Returns: a copy whose location names `question`.
    public func inQuestion(_ question: Int) -> ObjectiveError {
        relocated { $0.question = question }
    }

    /// The same error with the trace index filled in.
    func inTrace(_ trace: Int) -> ObjectiveError {
        relocated { $0.trace = trace }
    }

    private func relocated(_ change: (inout EvidenceLocation) -> Void) -> ObjectiveError {
        switch self {
        case .nonFiniteValue(let kind, let field, var location):
            change(&location)
            return .nonFiniteValue(kind, field: field, at: location)
        case .lengthMismatch(let logPiCount, let logQCount, var location):
            change(&location)
            return .lengthMismatch(logPiCount: logPiCount, logQCount: logQCount, at: location)
        case .invalidAnswerCounts(let correct, let total, var location):
            change(&location)
            return .invalidAnswerCounts(correct: correct, total: total, at: location)
        case .estimatorMismatch(let estimator, var location):
            change(&location)
            return .estimatorMismatch(estimator, at: location)
        case .emptyReferenceAnswer(var location):
            change(&location)
            return .emptyReferenceAnswer(at: location)
        case .noTraces(var location):
            change(&location)
            return .noTraces(at: location)
        case .sumOverflow(let field, var location):
            change(&location)
            return .sumOverflow(field: field, at: location)
        case .valueOutOfRange(let value, let field, let expected, var location):
            change(&location)
            return .valueOutOfRange(value, field: field, expected: expected, at: location)
        case .invalidParameter:
            return self
        }
    }

    private static func acceptsNegativeInfinity(_ field: EvidenceField) -> Bool {
        field == .logPiTrace || field == .referenceAnswer || field == .logWeight
    }
}
