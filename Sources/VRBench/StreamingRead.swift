// How fast the compute threads can read a buffer of a given size: the memory side of the sampling roofline.

import VRCore
import VRTensor
import VRTransport

/// A read-bandwidth probe that streams a buffer with every compute thread.
public enum StreamingRead {
    /// Sequential streams each thread reads side by side (the four sums of a pass): a core has more cache misses
    /// in flight across several streams than along one, and reads a large buffer markedly faster that way.
    private static let streamsPerThread = 4

    /// The best rate, over `repeats` timed passes after a warm-up pass, at which the compute threads sum a
    /// buffer of `bytes` (each thread one contiguous share, read as `streamsPerThread` streams side by side).
    /// - Parameters:
    ///   - bytes: the buffer size, at least 64 bytes; use the working set of the workload in question, since
    ///     the rate falls as it outgrows each cache level.
    ///   - repeats: timed passes.
    /// - Returns: bytes per second, in GB/s (10^9).
    public static func gigabytesPerSecond(bytes: Int, repeats: Int) -> Double {
        let sliceCount = ComputePool.shared.threadCount
        let streamCount = sliceCount * streamsPerThread
        // Whole 64-byte lines, the same number in every stream.
        let linesPerStream = max(bytes / 64 / streamCount, 1)
        let count = linesPerStream * streamCount * 16
        let buffer = FloatBuffer(count: count)
        for index in stride(from: 0, to: count, by: 16) { buffer.pointer[index] = 1 }
        // Each thread stores its sums here, so the reads have an effect and stay in the program.
        let partials = FloatBuffer(count: sliceCount * 16)
        let pass = {
            ComputePool.shared.forEachRange(sliceCount) { slices in
                for slice in slices {
                    let first = UnsafePointer(buffer.pointer + slice * streamsPerThread * linesPerStream * 16)
                    let stride = linesPerStream * 16
                    var sums = (Float16Lanes(), Float16Lanes(), Float16Lanes(), Float16Lanes())
                    for line in 0..<linesPerStream {
                        let offset = line * 16
                        sums.0 += VectorMath.load(first + offset)
                        sums.1 += VectorMath.load(first + stride + offset)
                        sums.2 += VectorMath.load(first + 2 * stride + offset)
                        sums.3 += VectorMath.load(first + 3 * stride + offset)
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
