import Testing
import VRTensor
import VRTestSupport

@Suite("packed-weight products")
struct PackedWeightTests {
    /// Shapes (rows, inputs, outputs): row counts that leave every remainder of the 8- and 6-row blocks, outputs
    /// that are and are not whole 32-, 16- and 8-column blocks, and one product large enough to be split across
    /// threads.
    static let shapes = [
        (1, 1, 1), (3, 7, 33), (13, 33, 70), (8, 16, 32), (32, 128, 384), (5, 9, 20), (11, 24, 45), (17, 40, 100),
        (23, 3, 8),
    ]

    /// `out = input * weight^T (+ bias)` through `kernels`.
    static func product(
        _ shape: (Int, Int, Int), useBias: Bool, kernels: KernelInstructionSet
    ) -> (out: FloatBuffer, input: FloatBuffer, weight: FloatBuffer, bias: FloatBuffer) {
        let (n, i, o) = shape
        let input = FiniteDifferences.randomBuffer(count: n * i, seed: 5)
        let weight = FiniteDifferences.randomBuffer(count: o * i, seed: 6)
        let bias = FiniteDifferences.randomBuffer(count: o, seed: 7)
        let packed = PackedWeight(weight.pointer, outputCount: o, inputCount: i)
        let out = FloatBuffer(count: n * o)
        Linear.forward(
            input: input.pointer, packedWeight: packed, bias: useBias ? UnsafePointer(bias.pointer) : nil,
            out: out.pointer, rowCount: n, kernels: kernels)
        return (out, input, weight, bias)
    }

    @Test(
        "every kernel version's product with a packed weight equals a double-precision reference, with and without bias",
        arguments: KernelInstructionSet.supported)
    func matchesReference(kernels: KernelInstructionSet) {
        for shape in Self.shapes {
            let (n, i, o) = shape
            for useBias in [true, false] {
                let (out, input, weight, bias) = Self.product(shape, useBias: useBias, kernels: kernels)
                var worst = 0.0
                for row in 0..<n {
                    for column in 0..<o {
                        var expected = useBias ? Double(bias[column]) : 0
                        for k in 0..<i { expected += Double(input[row * i + k]) * Double(weight[column * i + k]) }
                        worst = max(worst, abs(Double(out[row * o + column]) - expected) / max(1, abs(expected)))
                    }
                }
                #expect(worst < 1e-5, "\(kernels), shape \(shape), bias \(useBias): relative error \(worst)")
            }
        }
    }

    @Test(
        "every kernel version's product equals the baseline version's on the same inputs",
        arguments: KernelInstructionSet.supported.filter { $0 != .baseline && $0 != .neon })
    func matchesBaseline(kernels: KernelInstructionSet) {
        for shape in Self.shapes {
            let (n, i, o) = shape
            for useBias in [true, false] {
                let (out, input, weight, bias) = Self.product(shape, useBias: useBias, kernels: kernels)
                let baseline = Self.product(shape, useBias: useBias, kernels: .baseline).out
                // The versions differ only in fusing multiply and add, so each output may move by rounding
                // errors of its terms: a small multiple of float's epsilon (1.2e-7) times the sum of the terms'
                // magnitudes.
                var worst = 0.0
                for row in 0..<n {
                    for column in 0..<o {
                        var magnitude = useBias ? abs(Double(bias[column])) : 0
                        for k in 0..<i { magnitude += abs(Double(input[row * i + k]) * Double(weight[column * i + k])) }
                        let difference = abs(Double(out[row * o + column]) - Double(baseline[row * o + column]))
                        worst = max(worst, difference / max(magnitude, 1e-30))
                    }
                }
                #expect(worst < 5e-7, "\(kernels), shape \(shape), bias \(useBias): difference \(worst) of the terms")
            }
        }
    }
}
