// Checks shared by the conversions from wire messages to domain types: ids, text, counts, tokens, log-probs.

import VRCore

/// The checks every conversion from an untrusted wire message applies, with the receiver's limits.
struct WireValidator: Sendable {
    /// The receiver's bounds.
    let limits: WireLimits
    /// Token ids must lie in `0..<vocabularySize`; nil checks only that they are not negative.
    let vocabularySize: Int?

    /// A non-empty id of at most `limits.maxIdentifierBytes` UTF-8 bytes.
    func identifier(_ value: String, _ field: String) throws(WireError) -> String {
        guard !value.isEmpty else { throw WireError(.missingField, "\(field) is empty") }
        let byteCount = value.utf8.count
        guard byteCount <= limits.maxIdentifierBytes else {
            throw WireError(.tooLarge, "\(field) has \(byteCount) bytes; the limit is \(limits.maxIdentifierBytes)")
        }
        return value
    }

    /// Free text (possibly empty) of at most `maxBytes` UTF-8 bytes (default `limits.maxTextBytes`).
    func text(_ value: String, _ field: String, maxBytes: Int? = nil) throws(WireError) -> String {
        let limit = maxBytes ?? limits.maxTextBytes
        let byteCount = value.utf8.count
        guard byteCount <= limit else {
            throw WireError(.tooLarge, "\(field) has \(byteCount) bytes; the limit is \(limit)")
        }
        return value
    }

    /// A count in `range`: below it is an invalid value, above it too large.
    func count<T: BinaryInteger>(_ value: T, _ field: String, in range: ClosedRange<Int>) throws(WireError) -> Int {
        guard value >= range.lowerBound else {
            throw WireError(.invalidValue, "\(field) is \(value); it must be in \(range)")
        }
        guard value <= range.upperBound, let result = Int(exactly: value) else {
            throw WireError(.tooLarge, "\(field) is \(value); the limit is \(range.upperBound)")
        }
        return result
    }

    /// A protocol sequence number or id that must not be 0 (0 means "unset" in proto3).
    func nonZero(_ value: UInt64, _ field: String) throws(WireError) -> UInt64 {
        guard value != 0 else { throw WireError(.missingField, "\(field) is 0; it starts at 1") }
        return value
    }

    /// Token ids, each in `0..<vocabularySize`.
    func tokenIDs(_ ids: [Int32], _ field: String, at place: String) throws(WireError) -> [Int32] {
        let upper = vocabularySize.map { Int64($0) } ?? Int64(Int32.max) + 1
        for (position, id) in ids.enumerated() where id < 0 || Int64(id) >= upper {
            let range = vocabularySize.map { "0..<\($0)" } ?? "0..."
            throw WireError(.invalidValue, "\(place), \(field)[\(position)]: token id \(id) is outside \(range)")
        }
        return ids
    }

    /// Log-probs that are not NaN, not above `limits.logProbSlack`, and finite unless `-infinity` is allowed.
    func logProbs(
        _ values: [Float], _ field: String, at place: String, allowsNegativeInfinity: Bool
    ) throws(WireError) -> [Float] {
        for (position, value) in values.enumerated() {
            let isAllowedInfinity = allowsNegativeInfinity && value == -.infinity
            guard (value.isFinite || isAllowedInfinity) && value <= limits.logProbSlack else {
                throw WireError(
                    .invalidValue,
                    "\(place), \(field)[\(position)]: log-prob \(value) is not a finite value <= 0")
            }
        }
        return values
    }

    /// A phase other than unspecified or unknown.
    func phase(_ value: Vr_V1_Phase, _ field: String) throws(WireError) -> RolloutPhase {
        switch value {
        case .posterior: return .posterior
        case .model: return .model
        case .unspecified: throw WireError(.missingField, "\(field) is unspecified")
        case .UNRECOGNIZED(let raw): throw WireError(.invalidValue, "\(field) has unknown value \(raw)")
        }
    }

    /// The proposal of a question in `phase`: its standard one when unspecified; the posterior phase admits
    /// only sampling from pi.
    func proposal(_ value: Vr_V1_Proposal, phase: RolloutPhase, _ field: String) throws(WireError) -> TraceProposal {
        let proposal: TraceProposal
        switch value {
        case .unspecified: return .standard(for: phase)
        case .hintedPosterior: proposal = .hintedPosterior
        case .unhintedPosterior: proposal = .unhintedPosterior
        case .reasoningModel: proposal = .reasoningModel
        case .UNRECOGNIZED(let raw): throw WireError(.invalidValue, "\(field) has unknown value \(raw)")
        }
        guard phase == .model || proposal == .reasoningModel else {
            throw WireError(.invalidValue, "\(field) is \(proposal) but the posterior phase samples pi without a hint")
        }
        return proposal
    }

    /// The answer model of a question in `phase`: pi when unspecified; the posterior phase admits only pi.
    func answerModel(
        _ value: Vr_V1_AnswerModel, phase: RolloutPhase, _ field: String
    ) throws(WireError)
        -> AnswerModel
    {
        let model: AnswerModel
        switch value {
        case .unspecified, .reasoningModel: model = .reasoningModel
        case .posteriorParameters: model = .posteriorParameters
        case .UNRECOGNIZED(let raw): throw WireError(.invalidValue, "\(field) has unknown value \(raw)")
        }
        guard phase == .model || model == .reasoningModel else {
            throw WireError(.invalidValue, "\(field) is \(model) but the posterior phase scores with pi")
        }
        return model
    }
}
