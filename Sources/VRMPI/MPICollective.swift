// The collective operations over MPI (Open MPI from Debian): what `vr learner` uses when `mpirun` or `srun`
// starts it as several ranks.

import CMPI
import VRTransport

/// This process's place in `MPI_COMM_WORLD`, and the operations a split learner needs over it.
///
/// MPI is started once per process, at `start()`, with `MPI_THREAD_SERIALIZED`: the operations may come from any
/// thread, one at a time. Errors are returned rather than fatal, so they surface as `CollectiveError`; a rank that
/// dies still ends the whole job, because the launcher stops the others (MPI has no recovery).
public final class MPICollective: Collective {
    /// This rank in `MPI_COMM_WORLD`.
    public let rank: Int
    /// The ranks in `MPI_COMM_WORLD`.
    public let size: Int
    /// Values per `MPI_Allreduce` call: sums go in buckets of 16 MiB, which also keeps every count within MPI's
    /// 32-bit counts.
    public static let bucketCount = 4 << 20

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Whether an MPI launcher started this process: Open MPI's `mpirun` sets `OMPI_COMM_WORLD_SIZE`, and `srun`
    /// and other PMI launchers set `PMIX_RANK` or `PMI_RANK`.
    /// - Parameter environment: the process's environment.
    /// - Returns: true when `start()` should be called.
    public static func isLaunched(environment: [String: String]) -> Bool {
        ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
    }

    /// Starts MPI and joins `MPI_COMM_WORLD`; call once per process, and `finish()` before it exits.
    /// - Returns: this process's rank in the group.
    /// - Throws: `CollectiveError.library` when MPI cannot start or cannot serve calls from several threads.
    public static func start() throws(CollectiveError) -> MPICollective {
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "MPI_Init_thread")
        guard provided >= Int32(MPI_THREAD_SERIALIZED) else {
            throw .library("this MPI library serves one thread only (thread level \(provided))")
        }
        let world = vr_mpi_comm_world()
        try check(MPI_Comm_set_errhandler(world, vr_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0
        var size: Int32 = 0
        try check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        return MPICollective(rank: Int(rank), size: Int(size))
    }

    /// Leaves MPI cleanly; every rank must call it, after its last operation.
    public func finish() {
        MPI_Finalize()
    }

    /// Ends every rank of the job at once, for an error this rank cannot recover from.
    /// - Parameter code: the exit status the launcher reports.
    public func abort(code: Int32) -> Never {
        MPI_Abort(vr_mpi_comm_world(), code)
        fatalError("MPI_Abort returned")
    }

    /// Sums `values` over the ranks with `MPI_Allreduce`, in buckets of `bucketCount` values.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws(CollectiveError) {
        guard let base = values.baseAddress else { return }
        var start = 0
        while start < values.count {
            let count = min(Self.bucketCount, values.count - start)
            try Self.check(
                MPI_Allreduce(
                    vr_mpi_in_place(), base + start, Int32(count), vr_mpi_float(), vr_mpi_sum(), vr_mpi_comm_world()),
                "MPI_Allreduce")
            start += count
        }
    }

    /// Sends the root's byte count, then its bytes, with `MPI_Bcast`.
    public func broadcast(_ bytes: [UInt8], from root: Int) throws(CollectiveError) -> [UInt8] {
        guard (0..<size).contains(root) else { throw .library("no rank \(root) in a group of \(size)") }
        var count = UInt64(bytes.count)
        try Self.check(MPI_Bcast(&count, 1, vr_mpi_uint64(), Int32(root), vr_mpi_comm_world()), "MPI_Bcast")
        guard count <= UInt64(Int32.max) else { throw .library("a broadcast of \(count) bytes is over MPI's limit") }
        var received = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        let code = received.withUnsafeMutableBytes {
            MPI_Bcast($0.baseAddress, Int32(count), vr_mpi_uint8(), Int32(root), vr_mpi_comm_world())
        }
        try Self.check(code, "MPI_Bcast")
        return received
    }

    /// Exchanges the byte counts with `MPI_Allgather`, then the bytes with `MPI_Allgatherv`.
    public func gather(_ bytes: [UInt8]) throws(CollectiveError) -> [[UInt8]] {
        var counts = [UInt64](repeating: 0, count: size)
        var count = UInt64(bytes.count)
        try Self.check(
            MPI_Allgather(&count, 1, vr_mpi_uint64(), &counts, 1, vr_mpi_uint64(), vr_mpi_comm_world()),
            "MPI_Allgather")
        let total = counts.reduce(0, +)
        guard total <= UInt64(Int32.max) else { throw .library("a gather of \(total) bytes is over MPI's limit") }
        let receiveCounts = counts.map { Int32($0) }
        var displacements = [Int32](repeating: 0, count: size)
        for index in 1..<max(size, 1) { displacements[index] = displacements[index - 1] + receiveCounts[index - 1] }
        var received = [UInt8](repeating: 0, count: Int(total))
        var sent = bytes
        let code = sent.withUnsafeMutableBytes { sending in
            received.withUnsafeMutableBytes { receiving in
                MPI_Allgatherv(
                    sending.baseAddress, Int32(sending.count), vr_mpi_uint8(), receiving.baseAddress, receiveCounts,
                    displacements, vr_mpi_uint8(), vr_mpi_comm_world())
            }
        }
        try Self.check(code, "MPI_Allgatherv")
        return (0..<size).map {
            Array(received[Int(displacements[$0])..<Int(displacements[$0]) + Int(receiveCounts[$0])])
        }
    }

    /// Turns an MPI return code into an error naming the call and MPI's own message.
    private static func check(_ code: Int32, _ call: String) throws(CollectiveError) {
        guard code != MPI_SUCCESS else { return }
        var message = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &message, &length)
        let text = String(decoding: message.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw .library("\(call): \(text)")
    }
}
