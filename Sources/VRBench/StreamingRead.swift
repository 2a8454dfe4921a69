// How fast the compute threads can read a buffer of a given size: the memory side of the sampling roofline.

import VRTensor
import VRTransport

/// A read-bandwidth probe that streams a buffer with every compute thread.
public enum StreamingRead {
    /// The best rate, over `repeats` timed passes after a warm-up pass, at which the compute threads sum a
    /// buffer of `bytes` (each thread one contiguous share, four vector accumulators).
    /// - Parameters:
    ///   - bytes: the buffer size, at least 64 bytes; use the working set of the workload in question, since
    ///     the rate falls as it outgrows each cache level.
    ///   - repeats: timed passes.
    /// - Returns: bytes per second, in GB/s (10^9).
    public static func gigabytesPerSecond(bytes: Int, repeats: Int) -> Double {
        let count = max(bytes / 64, 1) * 16
        let buffer = FloatBuffer(count: count)
        for index in stride(from: 0, to: count, by: 16) { buffer.pointer[index] = 1 }
        // Each thread stores its sums here, so the reads have an effect and stay in the program.
        let partials = FloatBuffer(count: ComputePool.shared.threadCount * 16)
        let pass = {
            let blocks = count / 64
            let sliceCount = ComputePool.shared.threadCount
            ComputePool.shared.forEachRange(sliceCount) { slices in
                for slice in slices {
                    let share = ComputePool.slice(slice, of: sliceCount, covering: blocks)
                    var sums = (Float16Lanes(), Float16Lanes(), Float16Lanes(), Float16Lanes())
                    for block in share {
                        let base = buffer.pointer + block * 64
                        sums.0 += VectorMath.load(base)
                        sums.1 += VectorMath.load(base + 16)
                        sums.2 += VectorMath.load(base + 32)
                        sums.3 += VectorMath.load(base + 48)
                    }
                    VectorMath.store(sums.0 + sums.1 + sums.2 + sums.3, partials.pointer + slice * 16)
                }
            }
        }
        pass()
        let clock = ContinuousClock()
        var fastest = Double.infinity
        for _ in 0..<max(repeats, 1) {
            let elapsed = clock.measure(pass)
            fastest = min(fastest, elapsed.inSeconds)
        }
        return Double(count * 4) / fastest / 1e9
    }
}
