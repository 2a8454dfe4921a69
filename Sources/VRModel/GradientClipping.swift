// Global gradient-norm clipping.

import VRTensor

/// Rescales a gradient so that its Euclidean norm does not exceed a bound.
public enum GradientClipping {
    /// The Euclidean norm of all values, accumulated in double precision; infinite or NaN if any value is.
    /// - Parameter gradients: the gradient buffer.
    /// - Returns: sqrt(sum g^2).
    public static func norm(of gradients: FloatBuffer) -> Double {
        let pool = ComputePool.shared
        var partials = [Double](repeating: 0, count: pool.threadCount)
        partials.withUnsafeMutableBufferPointer { sums in
            let sums = sums
            pool.forEach(pool.threadCount) { slice in
                let range = ComputePool.slice(slice, of: pool.threadCount, covering: gradients.count)
                var total: Double = 0
                var index = range.lowerBound
                while index < range.upperBound {
                    let end = min(index + 4096, range.upperBound)
                    var block: Float = 0
                    for element in index..<end { block += gradients.pointer[element] * gradients.pointer[element] }
                    total += Double(block)
                    index = end
                }
                sums[slice] = total
            }
        }
        return partials.reduce(0, +).squareRoot()
    }

    /// Scales `gradients` down to norm `maxNorm` when their norm is larger.
    /// - Parameters:
    ///   - gradients: the gradient, modified in place.
    ///   - maxNorm: the bound (positive).
    /// - Returns: the norm before clipping (non-finite values are left alone: the caller decides to skip).
    @discardableResult
    public static func clip(_ gradients: FloatBuffer, maxNorm: Float) -> Double {
        let total = norm(of: gradients)
        if total.isFinite, total > Double(maxNorm) {
            VectorMath.scaleInPlace(gradients.pointer, count: gradients.count, by: Float(Double(maxNorm) / total))
        }
        return total
    }
}
