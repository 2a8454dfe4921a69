// The error of the broadcast benchmark: a path that could not be set up, lost data, or delivered wrong bytes.

/// Why a broadcast measurement failed, with a hint at the cause.
public struct BroadcastError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one sentence that names the path and the subscriber.
    public let message: String

    /// Creates an error.
    /// - Parameter message: what went wrong.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
