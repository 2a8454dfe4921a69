// How generated reference thoughts are written.

/// The style of a generated reference thought.
///
/// A later experiment can train on traces that are not the ones a small model finds easiest:
/// `.compact` is terse working in the model's own notation; `.verbose` is teacher-like prose
/// that names each step. Both contain the same computations and reach the same answer.
public enum ThoughtStyle: String, Codable, Sendable, Equatable, CaseIterable {
    /// Terse: `7+5=12 c1;4+8+1=13 c1;3+2+1=6;632`.
    case compact
    /// Worded: `Ones: 7+5=12, write 2 carry 1. Tens: ...`.
    case verbose
}
