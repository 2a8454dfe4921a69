// The name of a verifier, as chosen for an imported dataset or written in its JSONL lines.

/// Which verifier checks a dataset's answers; the `verifier` field of a JSONL line.
public enum VerifierKind: String, Codable, Sendable, Equatable, CaseIterable {
    /// `Verifier.exact`.
    case exact
    /// `Verifier.numeric`.
    case numeric
    /// `Verifier.expression(numbers:target:)`; the line also needs `numbers` and `target`.
    case expression
    /// `Verifier.fraction`: a fraction in lowest terms.
    case fraction
    /// `Verifier.approximate(tolerance:)`; the line also needs `tolerance`, a string such as `"0.001"`.
    case approximate
}
