// AdamW (Loshchilov & Hutter 2019) over the flat parameter buffer, with decoupled weight decay.

import VRTensor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The optimizer's hyperparameters.
public struct AdamWConfiguration: Codable, Sendable, Equatable {
    /// Exponential decay of the first moment.
    public var beta1: Float = 0.9
    /// Exponential decay of the second moment.
    public var beta2: Float = 0.95
    /// Added to the root of the second moment.
    public var epsilon: Float = 1e-8
    /// Decoupled weight decay, applied to matrices and embeddings only (not to biases or LayerNorm).
    public var weightDecay: Float = 0.1

    /// Creates a configuration; the defaults are GPT-2/nanoGPT's.
    /// - Parameters:
    ///   - beta1: first-moment decay in [0, 1).
    ///   - beta2: second-moment decay in [0, 1).
    ///   - epsilon: positive stabiliser.
    ///   - weightDecay: non-negative decay rate.
    public init(beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.1) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Checks the ranges.
    /// - Throws: `ModelError.invalidConfiguration` naming the first bad field.
    public func validate() throws(ModelError) {
        guard beta1 >= 0, beta1 < 1 else { throw .invalidConfiguration("beta1 must be in [0, 1), got \(beta1)") }
        guard beta2 >= 0, beta2 < 1 else { throw .invalidConfiguration("beta2 must be in [0, 1), got \(beta2)") }
        guard epsilon > 0, epsilon.isFinite else {
            throw .invalidConfiguration("epsilon must be positive, got \(epsilon)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw .invalidConfiguration("weightDecay must be non-negative, got \(weightDecay)")
        }
    }
}

/// AdamW state for one model: first and second moments in buffers parallel to the parameters.
///
/// ```
/// m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
/// p -= lr * ( m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + wd * p )     (wd only on decayed tensors)
/// ```
public final class AdamW {
    /// The hyperparameters.
    public let configuration: AdamWConfiguration
    /// First moment, same layout as the parameters.
    public let firstMoment: FloatBuffer
    /// Second moment, same layout as the parameters.
    public let secondMoment: FloatBuffer
    /// Steps taken so far (t).
    public private(set) var stepCount: Int
    /// Parameter ranges that receive weight decay (the 2-D tensors).
    private let decayedRanges: [Range<Int>]
    /// Parameter ranges without weight decay.
    private let undecayedRanges: [Range<Int>]

    /// Fresh state (zero moments) for a model with `layout`.
    /// - Parameters:
    ///   - configuration: the hyperparameters.
    ///   - layout: the model's parameter layout.
    public convenience init(configuration: AdamWConfiguration, layout: ParameterLayout) {
        self.init(
            configuration: configuration, layout: layout, stepCount: 0,
            firstMoment: FloatBuffer(count: layout.parameterCount),
            secondMoment: FloatBuffer(count: layout.parameterCount))
    }

    /// Restores saved state (from a checkpoint).
    /// - Parameters:
    ///   - configuration: the hyperparameters.
    ///   - layout: the model's parameter layout.
    ///   - stepCount: steps already taken.
    ///   - firstMoment: saved first moment, `layout.parameterCount` values.
    ///   - secondMoment: saved second moment, `layout.parameterCount` values.
    public init(
        configuration: AdamWConfiguration, layout: ParameterLayout, stepCount: Int, firstMoment: FloatBuffer,
        secondMoment: FloatBuffer
    ) {
        precondition(firstMoment.count == layout.parameterCount && secondMoment.count == layout.parameterCount)
        self.configuration = configuration
        self.stepCount = stepCount
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
        decayedRanges = layout.views.filter { $0.shape.count == 2 }.map { $0.offset..<($0.offset + $0.count) }
        undecayedRanges = layout.views.filter { $0.shape.count != 2 }.map { $0.offset..<($0.offset + $0.count) }
    }

    /// Takes one step: updates `parameters` in place from `gradients`.
    /// - Parameters:
    ///   - parameters: the values to update.
    ///   - gradients: the gradient, same layout.
    ///   - learningRate: the step size for this step.
    public func step(parameters: FloatBuffer, gradients: FloatBuffer, learningRate: Float) {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count)
        stepCount += 1
        let t = Float(stepCount)
        let coefficients = Coefficients(
            beta1: configuration.beta1, beta2: configuration.beta2, epsilon: configuration.epsilon,
            firstCorrection: 1 / (1 - powf(configuration.beta1, t)),
            secondCorrection: 1 / (1 - powf(configuration.beta2, t)), learningRate: learningRate, decay: 0)
        var decayed = coefficients
        decayed.decay = configuration.weightDecay
        for (ranges, rule) in [(decayedRanges, decayed), (undecayedRanges, coefficients)] {
            for range in ranges {
                ComputePool.shared.forEachRange(range.count, minimumPerSlice: 1 << 14) { slice in
                    update(
                        range.lowerBound + slice.lowerBound, count: slice.count, parameters: parameters.pointer,
                        gradients: gradients.pointer, rule: rule)
                }
            }
        }
    }

    private struct Coefficients {
        var beta1: Float, beta2: Float, epsilon: Float, firstCorrection: Float, secondCorrection: Float
        var learningRate: Float, decay: Float
    }

    private func update(
        _ start: Int, count: Int, parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
        rule: Coefficients
    ) {
        let (m, v) = (firstMoment.pointer, secondMoment.pointer)
        var index = start
        let end = start + count
        while index + 16 <= end {
            let gradient = VectorMath.load(gradients + index)
            let first = rule.beta1 * VectorMath.load(m + index) + (1 - rule.beta1) * gradient
            let second = rule.beta2 * VectorMath.load(v + index) + (1 - rule.beta2) * gradient * gradient
            VectorMath.store(first, m + index)
            VectorMath.store(second, v + index)
            let root = (second * rule.secondCorrection).squareRoot()
            let direction = first * rule.firstCorrection / (root + rule.epsilon)
            let value = VectorMath.load(parameters + index)
            VectorMath.store(value - rule.learningRate * (direction + rule.decay * value), parameters + index)
            index += 16
        }
        while index < end {
            let gradient = gradients[index]
            m[index] = rule.beta1 * m[index] + (1 - rule.beta1) * gradient
            v[index] = rule.beta2 * v[index] + (1 - rule.beta2) * gradient * gradient
            let direction =
                m[index] * rule.firstCorrection / ((v[index] * rule.secondCorrection).squareRoot() + rule.epsilon)
            parameters[index] -= rule.learningRate * (direction + rule.decay * parameters[index])
            index += 1
        }
    }

}
