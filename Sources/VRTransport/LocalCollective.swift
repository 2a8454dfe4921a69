// The collective's in-process twin: ranks as threads of one process, for tests of code that runs split over
// several processes.

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One rank of a group whose ranks are threads of this process.
///
/// Each rank must be used by one thread at a time, and every rank must call the same operations in the same order,
/// as with MPI. Sums add the ranks' values in rank order, so every rank gets the same bits.
public final class LocalCollective: Collective {
    /// This rank.
    public let rank: Int
    /// The number of ranks in the group.
    public var size: Int { meeting.size }
    private let meeting: Meeting

    private init(rank: Int, meeting: Meeting) {
        self.rank = rank
        self.meeting = meeting
    }

    /// A group of `size` ranks, one object per rank, to be handed to one thread each.
    /// - Parameter size: at least 1.
    /// - Returns: the ranks in order.
    public static func group(size: Int) -> [LocalCollective] {
        precondition(size >= 1, "a group needs at least one rank")
        let meeting = Meeting(size: size)
        return (0..<size).map { LocalCollective(rank: $0, meeting: meeting) }
    }

    /// Replaces `values` with the element-wise sum over the ranks, added in rank order.
    /// - Throws: `CollectiveError.mismatch` when the ranks' counts differ.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws(CollectiveError) {
        let all = try meeting.exchange(rank: rank, .floats(Array(values)))
        var total = [Float](repeating: 0, count: values.count)
        for case .floats(let contribution) in all {
            guard contribution.count == values.count else {
                throw .mismatch("sum over \(values.count) values on rank \(rank), \(contribution.count) on another")
            }
            for index in total.indices { total[index] += contribution[index] }
        }
        _ = values.update(fromContentsOf: total)
    }

    /// Returns the root's bytes.
    public func broadcast(_ bytes: [UInt8], from root: Int) throws(CollectiveError) -> [UInt8] {
        guard (0..<size).contains(root) else { throw .library("no rank \(root) in a group of \(size)") }
        guard case .broadcast(let sent) = try meeting.exchange(rank: rank, .broadcast(bytes))[root] else { return [] }
        return sent
    }

    /// Returns every rank's bytes in rank order.
    public func gather(_ bytes: [UInt8]) throws(CollectiveError) -> [[UInt8]] {
        try meeting.exchange(rank: rank, .gather(bytes)).map {
            guard case .gather(let contribution) = $0 else { return [] }
            return contribution
        }
    }
}

/// Where the ranks' contributions to one operation meet: each rank waits until all have arrived, takes all of them,
/// and the next operation starts once every rank has taken them.
private final class Meeting: Sendable {
    enum Contribution: Sendable {
        case floats([Float])
        case broadcast([UInt8])
        case gather([UInt8])

        var operation: String {
            switch self {
            case .floats: "sum"
            case .broadcast: "broadcast"
            case .gather: "gather"
            }
        }
    }

    private struct Round {
        var contributions: [Contribution?]
        var arrived = 0
        var departed = 0
        var complete = false
    }

    let size: Int
    private let round: Mutex<Round>

    init(size: Int) {
        self.size = size
        round = Mutex(Round(contributions: Array(repeating: nil, count: size)))
    }

    /// Adds this rank's contribution and returns everyone's once all have arrived.
    /// - Throws: `CollectiveError.mismatch` when the ranks called different operations (a program error that MPI
    ///   would not notice before it hangs or mixes up the data).
    func exchange(rank: Int, _ contribution: Contribution) throws(CollectiveError) -> [Contribution] {
        // Wait for the previous operation's last rank to leave.
        waitUntil { !$0.complete }
        round.withLock {
            $0.contributions[rank] = contribution
            $0.arrived += 1
            if $0.arrived == size { $0.complete = true }
        }
        waitUntil(\.complete)
        let all = round.withLock {
            let all = $0.contributions.compactMap { $0 }
            $0.departed += 1
            if $0.departed == size { $0 = Round(contributions: Array(repeating: nil, count: size)) }
            return all
        }
        if let (other, different) = all.enumerated().first(where: { $0.element.operation != contribution.operation }) {
            throw .mismatch(
                "rank \(rank) called \(contribution.operation) while rank \(other) called \(different.operation)")
        }
        return all
    }

    private func waitUntil(_ condition: (Round) -> Bool) {
        var spins = 0
        while !round.withLock({ condition($0) }) {
            spins += 1
            if spins > 1000 { usleep(200) }
        }
    }
}
