// The built-in families of generated tasks.

/// A kind of generated reasoning task; each has its own generator and difficulty meaning.
public enum TaskFamily: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    /// Multi-digit addition; difficulty = digits per operand (1...9).
    case addition
    /// Multi-digit multiplication; difficulty d = a d-digit times a max(1, d-1)-digit factor (1...6).
    case multiplication
    /// Countdown puzzles; difficulty d = d + 1 numbers to combine, i.e. d operations (1...5).
    case countdown
    /// Templated multi-step word problems; difficulty = number of steps (1...6).
    case wordProblem

    /// The difficulties the family supports.
    public var supportedDifficulties: ClosedRange<Int> {
        switch self {
        case .addition: 1...9
        case .multiplication: 1...6
        case .countdown: 1...5
        case .wordProblem: 1...6
        }
    }

    /// A number that keys the family's random streams; fixed forever (part of the data format).
    var streamKey: UInt64 {
        switch self {
        case .addition: 1
        case .multiplication: 2
        case .countdown: 3
        case .wordProblem: 4
        }
    }
}
