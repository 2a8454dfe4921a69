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
        map(input, input, into: out, count: count) { x, _ in
            let tanhU = VectorMath.tanh(innerArgument(x))
            let half: Float16Lanes = 0.5 * x
            return half + half * tanhU
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
        map(input, dOut, into: dInput, count: count) { x, dy in
            let tanhU = VectorMath.tanh(innerArgument(x))
            let x2: Float16Lanes = x * x
            let du: Float16Lanes = scale + (3 * scale * cubic) * x2
            let sech2: Float16Lanes = 1 - tanhU * tanhU
            let slope: Float16Lanes = 0.5 + 0.5 * tanhU + 0.5 * x * sech2 * du
            return dy * slope
        }
    }

    /// u = s (x + a x^3).
    @inline(__always)
    private static func innerArgument(_ x: Float16Lanes) -> Float16Lanes {
        let x3: Float16Lanes = x * x * x
        return scale * x + (scale * cubic) * x3
    }

    /// `out = f(x, y)` over 16-lane blocks in parallel; the last partial block is zero-padded.
    @inline(__always)
    private static func map(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int,
        _ f: (Float16Lanes, Float16Lanes) -> Float16Lanes
    ) {
        let blockCount = (count + 15) / 16
        ComputePool.shared.forEachRange(blockCount, minimumPerSlice: 1024) { blocks in
            for block in blocks {
                let index = block * 16
                if index + 16 <= count {
                    VectorMath.store(f(VectorMath.load(x + index), VectorMath.load(y + index)), out + index)
                } else {
                    let rest = count - index
                    let value = f(
                        VectorMath.loadPartial(x + index, count: rest, padding: 0),
                        VectorMath.loadPartial(y + index, count: rest, padding: 0))
                    VectorMath.storePartial(value, out + index, count: rest)
                }
            }
        }
    }
}
