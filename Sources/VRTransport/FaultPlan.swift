// Deterministic network faults for tests: which messages to drop, duplicate or corrupt, and a delay.

/// Which outgoing messages a faulty transport drops, duplicates or corrupts, and how long it delays each.
///
/// Faults are chosen by message number (1-based, counted per wrapper and channel), so a test knows exactly
/// which message is affected: `FaultPlan(dropEvery: 3)` drops messages 3, 6, 9, ... When several rules
/// pick the same message, drop wins over corrupt, and corrupt over duplicate.
public struct FaultPlan: Sendable, Equatable {
    /// What happens to one message.
    public enum Fault: Sendable, Equatable {
        /// Sent unchanged.
        case deliver
        /// Not sent; the sender is told it was.
        case drop
        /// Sent twice.
        case duplicate
        /// Sent with the middle byte of its last non-empty frame inverted.
        case corrupt
    }

    /// Drop every n-th message (nil: never).
    public var dropEvery: Int?
    /// Send every n-th message twice (nil: never).
    public var duplicateEvery: Int?
    /// Corrupt every n-th message (nil: never).
    public var corruptEvery: Int?
    /// Wait this long before sending each message.
    public var delay: Duration

    /// Creates a plan; the default plan delivers everything at once.
    /// - Parameters:
    ///   - dropEvery: drop every n-th message, n at least 1.
    ///   - duplicateEvery: duplicate every n-th message, n at least 1.
    ///   - corruptEvery: corrupt every n-th message, n at least 1.
    ///   - delay: the wait before each send, at least zero.
    public init(dropEvery: Int? = nil, duplicateEvery: Int? = nil, corruptEvery: Int? = nil, delay: Duration = .zero) {
        for period in [dropEvery, duplicateEvery, corruptEvery].compactMap({ $0 }) {
            precondition(period >= 1, "fault periods must be at least 1, got \(period)")
        }
        precondition(delay >= .zero, "the fault delay must not be negative, got \(delay)")
        self.dropEvery = dropEvery
        self.duplicateEvery = duplicateEvery
        self.corruptEvery = corruptEvery
        self.delay = delay
    }

    /// The fault for the message with this number.
    /// - Parameter number: the 1-based message number.
    /// - Returns: what happens to it.
    public func fault(forMessage number: Int) -> Fault {
        func hits(_ period: Int?) -> Bool { period.map { number % $0 == 0 } ?? false }
        if hits(dropEvery) { return .drop }
        if hits(corruptEvery) { return .corrupt }
        if hits(duplicateEvery) { return .duplicate }
        return .deliver
    }

    /// A copy of `message` with the middle byte of its last non-empty frame inverted (unchanged if all empty).
    /// - Parameter message: the message.
    /// - Returns: the corrupted copy.
    public static func corrupted(_ message: Multipart) -> Multipart {
        guard let index = message.lastIndex(where: { !$0.isEmpty }) else { return message }
        var copy = message
        let original = message[index]
        copy[index] = Frame(count: original.count) { target in
            original.withUnsafeBytes { target.copyMemory(from: $0) }
            target[original.count / 2] ^= 0xff
        }
        return copy
    }
}
