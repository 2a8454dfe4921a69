// The threads that run kernels and matrix products in parallel.

import CBLAS
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The parallelism used by every kernel: the calling thread plus a fixed set of worker threads, each
/// running one contiguous slice of a loop.
///
/// OpenBLAS is put into single-threaded mode and products are split across these threads instead. This keeps
/// one scheduler in charge (OpenBLAS threads spin between calls and fight kernel threads for the cores) and lets
/// small per-head products run at the single-thread rate that suits them.
///
/// Workers spin briefly between loops before sleeping, so the many short parallel loops of a decoding step
/// do not each pay for a thread wake-up. When the pool is already busy (a loop inside a loop, or two threads
/// using kernels at once) the caller runs the same slices itself, one after the other: the split, and with it
/// every floating-point result, depends only on `threadCount`.
public final class ComputePool: Sendable {
    /// Number of threads that share each parallel loop, the caller included.
    public let threadCount: Int
    private let team: WorkerTeam?

    /// The pool used by the kernels: `VR_THREADS` from the environment, else the number of online cores.
    public static let shared: ComputePool = {
        openblas_set_num_threads(1)
        let fromEnvironment = getenv("VR_THREADS").flatMap { Int(String(cString: $0)) }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return ComputePool(threadCount: max(1, min(fromEnvironment ?? cores, 64)))
    }()

    /// Creates a pool of `threadCount` threads (the caller and `threadCount - 1` workers).
    /// - Parameter threadCount: at least 1.
    public init(threadCount: Int) {
        self.threadCount = threadCount
        team = threadCount > 1 ? WorkerTeam(workerCount: threadCount - 1) : nil
    }

    /// Runs `body(index)` for every index in `0..<count`, spreading contiguous index ranges over the threads.
    /// - Parameters:
    ///   - count: number of independent items.
    ///   - body: the work for one item; it must only write to state owned by its index.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEachRange(count) { range in
            for index in range { body(index) }
        }
    }

    /// Runs `body` on contiguous slices that cover `0..<count`, one slice per thread.
    /// - Parameters:
    ///   - count: number of items to split.
    ///   - minimumPerSlice: do not make slices smaller than this; small loops run on the calling thread.
    ///   - body: the work for one slice; slices must write disjoint memory.
    public func forEachRange(_ count: Int, minimumPerSlice: Int = 1, _ body: (Range<Int>) -> Void) {
        let sliceCount = min(threadCount, count / max(minimumPerSlice, 1))
        guard sliceCount > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // A busy team runs the same slices on this thread, so results never depend on contention.
        if let team, team.tryRun(sliceCount: sliceCount, { body(Self.slice($0, of: sliceCount, covering: count)) }) {
            return
        }
        for slice in 0..<sliceCount { body(Self.slice(slice, of: sliceCount, covering: count)) }
    }

    /// The `slice`-th of `sliceCount` nearly equal contiguous ranges covering `0..<count`.
    /// - Parameters:
    ///   - slice: the index of the range, in `0..<sliceCount`.
    ///   - sliceCount: the number of ranges.
    ///   - count: the number of items covered.
    /// - Returns: the range.
    public static func slice(_ slice: Int, of sliceCount: Int, covering count: Int) -> Range<Int> {
        let base = count / sliceCount
        let extra = count % sliceCount
        let start = slice * base + min(slice, extra)
        return start..<(start + base + (slice < extra ? 1 : 0))
    }
}
