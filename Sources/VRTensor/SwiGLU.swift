// The gated activation of Llama-family MLPs, forward and backward.
//
//   y = silu(g) * u,  silu(g) = g * sigmoid(g)
//   dg = dy * u * sigmoid(g) * (1 + g * (1 - sigmoid(g))),  du = dy * silu(g)

#if canImport(Glibc)
    import Glibc
#endif

/// SwiGLU (Shazeer, 2020): a SiLU-gated product of two projections, as in Hugging Face's `LlamaMLP`.
public enum SwiGLU {
    /// `out = silu(gate) * up`, elementwise.
    /// - Parameters:
    ///   - gate: `count` values.
    ///   - up: `count` values.
    ///   - out: `count` values, overwritten.
    ///   - count: the number of values.
    public static func forward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int
    ) {
        for index in 0..<count {
            let g = gate[index]
            out[index] = g / (1 + expf(-g)) * up[index]
        }
    }

    /// Back-propagates through `forward`.
    /// - Parameters:
    ///   - dOut: `count` values, the gradient of the output.
    ///   - gate: the forward gate.
    ///   - up: the forward up projection.
    ///   - dGate: `count` values, overwritten.
    ///   - dUp: `count` values, overwritten.
    ///   - count: the number of values.
    public static func backward(
        dOut: UnsafePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>,
        dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, count: Int
    ) {
        for index in 0..<count {
            let g = gate[index]
            let sigmoid = 1 / (1 + expf(-g))
            dGate[index] = dOut[index] * up[index] * sigmoid * (1 + g * (1 - sigmoid))
            dUp[index] = dOut[index] * g * sigmoid
        }
    }
}
