// Where in a batch of questions, traces and tokens an invalid value was found, for error messages.

/// The position of a value inside the evidence of a batch: question, trace (or sample) and token.
///
/// Each index is 0-based and nil when it does not apply or is not known at the throw site; functions
/// that handle one question leave `question` nil, and batch functions fill it in.
public struct EvidenceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The question's position in the batch.
    public var question: Int?
    /// The trace's (or sample's) position among the question's K traces.
    public var trace: Int?
    /// The token's position inside the trace or answer.
    public var token: Int?

    /// Creates a location; every index defaults to unknown.
    /// - Parameters:
    ///   - question: the question index.
    ///   - trace: the trace or sample index.
    ///   - token: the token index.
    public init(question: Int? = nil, trace: Int? = nil, token: Int? = nil) {
        self.question = question
        self.trace = trace
        self.token = token
    }

    /// A readable position such as `question 3, trace 1, token 17`, or `(no position)`.
    public var description: String {
        let parts = [("question", question), ("trace", trace), ("token", token)].compactMap { name, index in
            index.map { "\(name) \($0)" }
        }
        return parts.isEmpty ? "(no position)" : parts.joined(separator: ", ")
    }
}
