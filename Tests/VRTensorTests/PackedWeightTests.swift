import Testing
import VRTensor
import VRTestSupport

@Suite("packed-weight products")
struct PackedWeightTests {
    /// Shapes (rows, inputs, outputs): row counts that exercise the 8-, 4- and 1-row blocks, outputs that are
    /// and are not whole 32-column panels, and one product large enough to be split across threads.
    @Test(
        "the product with a packed weight equals a double-precision reference, with and without bias",
        arguments: [(1, 1, 1), (3, 7, 33), (13, 33, 70), (8, 16, 32), (32, 128, 384)])
    func matchesReference(shape: (Int, Int, Int)) {
        let (n, i, o) = shape
        let input = FiniteDifferences.randomBuffer(count: n * i, seed: 5)
        let weight = FiniteDifferences.randomBuffer(count: o * i, seed: 6)
        let bias = FiniteDifferences.randomBuffer(count: o, seed: 7)
        let packed = PackedWeight(weight.pointer, outputCount: o, inputCount: i)
        for useBias in [true, false] {
            let out = FloatBuffer(count: n * o)
            Linear.forward(
                input: input.pointer, packedWeight: packed, bias: useBias ? UnsafePointer(bias.pointer) : nil,
                out: out.pointer, rowCount: n)
            var worst = 0.0
            for row in 0..<n {
                for column in 0..<o {
                    var expected = useBias ? Double(bias[column]) : 0
                    for k in 0..<i { expected += Double(input[row * i + k]) * Double(weight[column * i + k]) }
                    worst = max(worst, abs(Double(out[row * o + column]) - expected) / max(1, abs(expected)))
                }
            }
            #expect(worst < 1e-5, "shape \(shape), bias \(useBias): relative error \(worst)")
        }
    }
}
