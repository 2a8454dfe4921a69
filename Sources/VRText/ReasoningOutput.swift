// A model's output split into thought, solution and final answer, with the markers it was missing.

/// The parts of a sampled continuation: the thought, the solution and the final answer extracted from it.
///
/// Produced by `parse(_:layout:)`, which never fails: a missing or truncated marker is recorded in
/// `missingMarkers` and the parts are recovered as far as the text allows.
public struct ReasoningOutput: Sendable, Equatable {
    /// What a piece of sampled text is expected to contain: where its prompt left off.
    public enum Layout: Sendable, Equatable, CaseIterable {
        /// After the reasoning prompt: `thought<|end_of_thought|><|begin_of_solution|>solution<|end_of_solution|>`.
        case thoughtAndSolution
        /// A trace alone, e.g. after posterior prompt B or when trace sampling stops: `thought<|end_of_thought|>`.
        case thought
        /// A trace after posterior prompt A: `explanation<|end_of_explanation|>` (stored in `thought`).
        case explanation
        /// After the answer prompt: `solution<|end_of_solution|>`.
        case solution
    }

    /// Markers the layout expects but the text did not contain.
    public struct Markers: OptionSet, Sendable, Hashable {
        /// The raw bits.
        public let rawValue: UInt8

        /// Creates a set from raw bits.
        /// - Parameter rawValue: the bits.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// `<|end_of_thought|>`.
        public static let endOfThought = Markers(rawValue: 1 << 0)
        /// `<|begin_of_solution|>`.
        public static let beginOfSolution = Markers(rawValue: 1 << 1)
        /// `<|end_of_solution|>`.
        public static let endOfSolution = Markers(rawValue: 1 << 2)
        /// `<|end_of_explanation|>`.
        public static let endOfExplanation = Markers(rawValue: 1 << 3)
    }

    /// The trace, exactly as written (not trimmed); nil for the `.solution` layout.
    public var thought: String?
    /// The solution, exactly as written (not trimmed); nil when the text has none.
    public var solution: String?
    /// The final answer extracted from the solution by `finalAnswer(inSolution:)`; nil without one.
    public var finalAnswer: String?
    /// The expected markers that were absent.
    public var missingMarkers: Markers
    /// Text after the last expected closing marker (ignored by the parts), empty when there is none.
    public var trailingText: String

    /// Creates an output from its parts.
    /// - Parameters:
    ///   - thought: the trace, if any.
    ///   - solution: the solution, if any.
    ///   - finalAnswer: the extracted answer, if any.
    ///   - missingMarkers: the expected markers that were absent.
    ///   - trailingText: text after the last closing marker.
    public init(
        thought: String?, solution: String?, finalAnswer: String?, missingMarkers: Markers = [],
        trailingText: String = ""
    ) {
        self.thought = thought
        self.solution = solution
        self.finalAnswer = finalAnswer
        self.missingMarkers = missingMarkers
        self.trailingText = trailingText
    }

    /// Whether every marker the layout expects was present (the output was not truncated).
    public var isComplete: Bool { missingMarkers.isEmpty }
}
