// The threads that run kernels and matrix products in parallel.

import CBLAS
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// The parallelism used by every kernel: a fixed number of threads, each running disjoint slices of work.
///
/// OpenBLAS is put into single-threaded mode and products are split across threads here instead. This keeps
/// one scheduler in charge (OpenBLAS threads spin between calls and fight kernel threads for the two cores)
/// and makes small per-head products run at the single-thread rate that suits them.
public struct ComputePool: Sendable {
    /// Number of threads that share each parallel loop.
    public let threadCount: Int

    /// The pool used by the kernels: `VR_THREADS` from the environment, else the number of active cores.
    public static let shared: ComputePool = {
        openblas_set_num_threads(1)
        let fromEnvironment = getenv("VR_THREADS").flatMap { Int(String(cString: $0)) }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return ComputePool(threadCount: max(1, fromEnvironment ?? cores))
    }()

    /// Runs `body(index)` for every index in `0..<count`, spreading indices over the pool's threads.
    ///
    /// Work is split into at most `threadCount` contiguous ranges; `body` must only write to state
    /// owned by its index.
    /// - Parameters:
    ///   - count: number of independent items.
    ///   - body: the work for one item.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEachRange(count) { range in
            for index in range { body(index) }
        }
    }

    /// Runs `body` on contiguous slices that cover `0..<count`, one slice per thread.
    /// - Parameters:
    ///   - count: number of items to split.
    ///   - minimumPerSlice: do not make slices smaller than this; small loops run on the calling thread.
    ///   - body: the work for one slice.
    public func forEachRange(_ count: Int, minimumPerSlice: Int = 1, _ body: (Range<Int>) -> Void) {
        let sliceCount = min(threadCount, count / max(minimumPerSlice, 1))
        if sliceCount <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        // The slices write disjoint memory and the call returns only after every slice has finished, so
        // handing the non-escaping, non-Sendable body to the worker threads is safe.
        withoutActuallyEscaping(body) { escapingBody in
            let shared = UncheckedSendableBox(escapingBody)
            DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
                shared.value(Self.slice(slice, of: sliceCount, covering: count))
            }
        }
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

/// Carries a value across a concurrency boundary that the compiler cannot verify; see the call site.
private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
