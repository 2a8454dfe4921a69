// Central finite differences and error measures for checking backward passes in tests.

import VRCore
import VRTensor

/// Numerical gradients by central differences, for comparing against hand-written backward passes.
public enum FiniteDifferences {
    /// The derivative of `loss` with respect to each listed element of `values`:
    /// `(loss(x + eps) - loss(x - eps)) / (2 eps)`, restoring the element afterwards.
    /// - Parameters:
    ///   - values: the inputs, perturbed in place one element at a time.
    ///   - indices: which elements to differentiate.
    ///   - epsilon: the step.
    ///   - loss: evaluates the scalar loss at the current `values`.
    /// - Returns: one derivative per index.
    public static func gradient(
        of values: UnsafeMutablePointer<Float>, at indices: [Int], epsilon: Float, loss: () -> Double
    ) -> [Double] {
        indices.map { index in
            let original = values[index]
            values[index] = original + epsilon
            let plus = loss()
            values[index] = original - epsilon
            let minus = loss()
            values[index] = original
            let step = Double(original + epsilon) - Double(original - epsilon)
            return (plus - minus) / step
        }
    }

    /// The largest elementwise error `|a - b| / max(|a|, |b|, floor)`: relative for large values, absolute
    /// (scaled by 1/floor) for values near zero.
    /// - Parameters:
    ///   - analytic: gradients from the backward pass.
    ///   - numeric: gradients from finite differences.
    ///   - floor: the magnitude below which errors count as absolute.
    /// - Returns: the worst error.
    public static func maxRelativeError(_ analytic: [Double], _ numeric: [Double], floor: Double) -> Double {
        precondition(analytic.count == numeric.count, "\(analytic.count) analytic vs \(numeric.count) numeric values")
        return zip(analytic, numeric).map { a, n in abs(a - n) / max(abs(a), abs(n), floor) }.max() ?? 0
    }

    /// `sum_i values[i] * projection[i]` in double precision: a scalar loss whose gradient is `projection`.
    /// - Parameters:
    ///   - values: the outputs of the function under test.
    ///   - projection: fixed random weights.
    ///   - count: number of elements.
    /// - Returns: the projected sum.
    public static func projected(
        _ values: UnsafePointer<Float>, _ projection: UnsafePointer<Float>, count: Int
    )
        -> Double
    {
        var total: Double = 0
        for index in 0..<count { total += Double(values[index]) * Double(projection[index]) }
        return total
    }

    /// A buffer of normal random values.
    /// - Parameters:
    ///   - count: number of values.
    ///   - seed: the seed.
    ///   - standardDeviation: their scale.
    /// - Returns: the buffer.
    public static func randomBuffer(count: Int, seed: UInt64, standardDeviation: Float = 1) -> FloatBuffer {
        let buffer = FloatBuffer(count: count)
        var generator = SeededGenerator(seed: seed)
        generator.fillNormal(buffer.buffer, standardDeviation: standardDeviation)
        return buffer
    }
}
