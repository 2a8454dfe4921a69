// The collective operations a learner split over several processes needs: a sum of the gradients, the step's
// inputs from the first process to the others, and every process's small results to all.

/// A fixed group of processes (ranks) that take part in every operation together, in the same order.
///
/// Every rank must call the same operations in the same order with matching sizes; an operation returns once all
/// ranks have called it. Implementations: `SoloCollective` (one process), `LocalCollective` (ranks as threads of
/// one process, for tests) and the MPI one that `vr learner` uses under `mpirun` or `srun`.
public protocol Collective: AnyObject, Sendable {
    /// This process's rank, 0 ..< `size`; rank 0 holds the sockets.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }

    /// Replaces `values` on every rank with their element-wise sum over the ranks.
    /// - Parameter values: this rank's values; the same count on every rank.
    /// - Throws: `CollectiveError` when the group cannot complete the operation.
    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws(CollectiveError)

    /// Sends `bytes` from `root` to every rank.
    /// - Parameters:
    ///   - bytes: the root's bytes; ignored on the other ranks.
    ///   - root: the sending rank.
    /// - Returns: the root's bytes, on every rank.
    /// - Throws: `CollectiveError` when the group cannot complete the operation.
    func broadcast(_ bytes: [UInt8], from root: Int) throws(CollectiveError) -> [UInt8]

    /// Gives every rank the bytes of all ranks.
    /// - Parameter bytes: this rank's bytes; the count may differ between ranks.
    /// - Returns: each rank's bytes, in rank order.
    /// - Throws: `CollectiveError` when the group cannot complete the operation.
    func gather(_ bytes: [UInt8]) throws(CollectiveError) -> [[UInt8]]
}

/// Why a collective operation failed.
public enum CollectiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The communication library reported an error.
    case library(String)
    /// The ranks disagree about something they must share, such as the parameters.
    case mismatch(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .library(let message): "collective operation failed: \(message)"
        case .mismatch(let message): message
        }
    }
}

/// The group of one process: every operation returns its input.
public final class SoloCollective: Collective {
    /// Always 0.
    public let rank = 0
    /// Always 1.
    public let size = 1

    /// The group of this process alone.
    public init() {}

    /// Leaves `values` as they are: the sum over one rank.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) {}

    /// Returns `bytes`.
    public func broadcast(_ bytes: [UInt8], from root: Int) -> [UInt8] { bytes }

    /// Returns `[bytes]`.
    public func gather(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }
}
