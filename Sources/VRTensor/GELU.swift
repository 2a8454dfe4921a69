// The GELU activation (tanh approximation, as in GPT-2), forward and backward.
//
//   gelu(x) = 0.5 x (1 + tanh(u)),  u = s (x + a x^3),  s = sqrt(2 / pi),  a = 0.044715
//   gelu'(x) = 0.5 (1 + tanh(u)) + 0.5 x (1 - tanh(u)^2) s (1 + 3 a x^2)

/// The Gaussian error linear unit, tanh approximation.
public enum GELU {
    private static let scale: Float = 0.797_884_560_8
    private static let cubic: Float = 0.044_715

    /// `out[i] = gelu(input[i])`.
    /// - Parameters:
    ///   - input: `count` values.
    ///   - out: `count` values, overwritten.
    ///   - count: number of elements.
    public static func forward(input: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int) {
        ComputePool.shared.forEachRange((count + 15) / 16, minimumPerSlice: 1024) { blocks in
            var index = blocks.lowerBound * 16
            let end = min(count, blocks.upperBound * 16)
            while index + 16 <= end {
                VectorMath.store(value(VectorMath.load(input + index)), out + index)
                index += 16
            }
            if index < end {
                let rest = end - index
                VectorMath.storePartial(
                    value(VectorMath.loadPartial(input + index, count: rest, padding: 0)), out + index, count: rest)
            }
        }
    }

    /// `dInput[i] = dOut[i] * gelu'(input[i])`.
    /// - Parameters:
    ///   - dOut: `count` values, gradient of the output.
    ///   - input: `count` values, the forward input.
    ///   - dInput: `count` values, overwritten (may alias `dOut`).
    ///   - count: number of elements.
    public static func backward(
        dOut: UnsafePointer<Float>, input: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>, count: Int
    ) {
        ComputePool.shared.forEachRange((count + 15) / 16, minimumPerSlice: 1024) { blocks in
            var index = blocks.lowerBound * 16
            let end = min(count, blocks.upperBound * 16)
            while index + 16 <= end {
                let gradient = VectorMath.load(dOut + index) * slope(VectorMath.load(input + index))
                VectorMath.store(gradient, dInput + index)
                index += 16
            }
            if index < end {
                let rest = end - index
                let gradient =
                    VectorMath.loadPartial(dOut + index, count: rest, padding: 0)
                    * slope(VectorMath.loadPartial(input + index, count: rest, padding: 0))
                VectorMath.storePartial(gradient, dInput + index, count: rest)
            }
        }
    }

    /// gelu(x) for each lane.
    @inline(__always)
    static func value(_ x: Float16Lanes) -> Float16Lanes {
        let half: Float16Lanes = 0.5 * x
        return half + half * VectorMath.tanh(innerArgument(x))
    }

    /// gelu'(x) for each lane.
    @inline(__always)
    static func slope(_ x: Float16Lanes) -> Float16Lanes {
        let tanhU = VectorMath.tanh(innerArgument(x))
        let x2: Float16Lanes = x * x
        let du: Float16Lanes = scale + (3 * scale * cubic) * x2
        let sech2: Float16Lanes = 1 - tanhU * tanhU
        let halfX: Float16Lanes = 0.5 * x
        return 0.5 + 0.5 * tanhU + halfX * sech2 * du
    }

    /// u = s (x + a x^3).
    @inline(__always)
    private static func innerArgument(_ x: Float16Lanes) -> Float16Lanes {
        let x3: Float16Lanes = x * x * x
        return scale * x + (scale * cubic) * x3
    }
}
