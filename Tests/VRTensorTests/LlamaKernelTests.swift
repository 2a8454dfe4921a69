import Foundation
import Testing
import VRTensor
import VRTestSupport

/// The kernels of the Llama family (RMSNorm, rotary embeddings, SwiGLU) against finite differences and closed forms.
@Suite("Llama-family kernels")
struct LlamaKernelTests {
    let epsilon: Float = 1e-2
    let tolerance = 1e-2
    let floor = 1e-2

    @Test(
        "RMSNorm forward equals its formula, and its backward equals finite differences",
        arguments: [(3, 21), (40, 64)])
    func rmsNorm(shape: (Int, Int)) {
        let (n, c) = shape
        let x = FiniteDifferences.randomBuffer(count: n * c, seed: 11)
        let weight = FiniteDifferences.randomBuffer(count: c, seed: 12)
        let projection = FiniteDifferences.randomBuffer(count: n * c, seed: 13)
        let out = FloatBuffer(count: n * c)
        let rstd = FloatBuffer(count: n)
        func loss() -> Double {
            RMSNorm.forward(
                input: x.pointer, weight: weight.pointer, out: out.pointer, rstd: rstd.pointer, rowCount: n,
                channels: c, epsilon: 1e-5)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: n * c)
        }
        _ = loss()
        for row in 0..<n {
            let meanSquare = (0..<c).reduce(0.0) { $0 + Double(x[row * c + $1]) * Double(x[row * c + $1]) } / Double(c)
            for channel in 0..<c {
                let expected = Double(x[row * c + channel]) / (meanSquare + 1e-5).squareRoot() * Double(weight[channel])
                #expect(abs(Double(out[row * c + channel]) - expected) <= 1e-5 * max(1, abs(expected)))
            }
        }
        let dx = FloatBuffer(count: n * c)
        let dWeight = FloatBuffer(count: c)
        RMSNorm.backward(
            dOut: projection.pointer, input: x.pointer, weight: weight.pointer, rstd: rstd.pointer, dInput: dx.pointer,
            dWeight: dWeight.pointer, rowCount: n, channels: c)
        for (values, gradient) in [(x, dx), (weight, dWeight)] {
            let indices = stride(from: 0, to: values.count, by: max(1, values.count / 60)).map { $0 }
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            let analytic = indices.map { Double(gradient[$0]) }
            #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
        }
    }

    @Test("per-head RMSNorm in place equals the row RMSNorm of each head, and its backward finite differences")
    func rmsNormHeads() {
        // Rows of 11 floats: 2 heads of width 4 at offset 0 and 4, 3 floats of padding the kernel must not touch.
        let (n, stride, heads, width) = (6, 11, 2, 4)
        let x = FiniteDifferences.randomBuffer(count: n * stride, seed: 41)
        let weight = FiniteDifferences.randomBuffer(count: width, seed: 42)
        let projection = FiniteDifferences.randomBuffer(count: n * stride, seed: 43)
        let out = FloatBuffer(count: n * stride)
        let rstd = FloatBuffer(count: n * heads)
        func loss() -> Double {
            out.pointer.update(from: x.pointer, count: n * stride)
            RMSNorm.forwardHeads(
                out.pointer, rowCount: n, rowStride: stride, headCount: heads, headWidth: width,
                weight: weight.pointer, rstd: rstd.pointer, epsilon: 1e-6)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: n * stride)
        }
        _ = loss()
        // The same heads gathered as rows of a plain RMSNorm.
        let gathered = FloatBuffer(
            (0..<n * heads).flatMap { index in
                (0..<width).map { x[(index / heads) * stride + (index % heads) * width + $0] }
            })
        let expected = FloatBuffer(count: gathered.count)
        let expectedRstd = FloatBuffer(count: n * heads)
        RMSNorm.forward(
            input: gathered.pointer, weight: weight.pointer, out: expected.pointer, rstd: expectedRstd.pointer,
            rowCount: n * heads, channels: width, epsilon: 1e-6)
        for index in 0..<n * heads {
            for channel in 0..<width {
                let actual = out[(index / heads) * stride + (index % heads) * width + channel]
                #expect(abs(actual - expected[index * width + channel]) < 1e-6)
            }
        }
        for row in 0..<n {
            for padding in heads * width..<stride { #expect(out[row * stride + padding] == x[row * stride + padding]) }
        }
        let gradients = FloatBuffer(projection.array)
        let dWeight = FloatBuffer(count: width)
        RMSNorm.backwardHeads(
            gradients.pointer, inputs: x.pointer, rowCount: n, rowStride: stride, headCount: heads, headWidth: width,
            weight: weight.pointer, rstd: rstd.pointer, dWeight: dWeight.pointer)
        let headIndices = (0..<n).flatMap { row in (0..<heads * width).map { row * stride + $0 } }
        for (values, gradient, indices) in [(x, gradients, headIndices), (weight, dWeight, Array(0..<width))] {
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            let analytic = indices.map { Double(gradient[$0]) }
            #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
        }
    }

    @Test("rotary embeddings rotate halves by position times base^(-2i/D), and the inverse undoes them")
    func rotaryClosedForm() {
        let rope = RotaryEmbedding(headWidth: 4, base: 10_000, positionCount: 8)
        let x = FloatBuffer([1, 0, 0, 2, 0.5, -1, 3, 0])  // one row, two heads
        let positions = TokenBuffer([3])
        withExtendedLifetime(positions) {
            rope.rotate(x.pointer, rowCount: 1, rowStride: 8, headCount: 2, positions: positions.pointer)
        }
        let (angle0, angle1) = (3.0, 3.0 / 100.0)
        let expected = [
            cos(angle0), -2 * sin(angle1), sin(angle0), 2 * cos(angle1),
            0.5 * cos(angle0) - 3 * sin(angle0), -cos(angle1), 3 * cos(angle0) + 0.5 * sin(angle0), -sin(angle1),
        ]
        for (index, value) in expected.enumerated() { #expect(abs(Double(x[index]) - value) < 1e-5, "\(index)") }
        withExtendedLifetime(positions) {
            rope.rotate(x.pointer, rowCount: 1, rowStride: 8, headCount: 2, positions: positions.pointer, inverse: true)
        }
        for (index, value) in [Float(1), 0, 0, 2, 0.5, -1, 3, 0].enumerated() {
            #expect(abs(x[index] - value) < 1e-6, "\(index)")
        }
    }

    @Test("the inverse rotation is the backward pass of the rotation: finite differences")
    func rotaryBackward() {
        let (rows, heads, width) = (5, 3, 8)
        let rope = RotaryEmbedding(headWidth: width, base: 100_000, positionCount: 64)
        let positions = TokenBuffer([0, 7, 63, 12, 1])
        let x = FiniteDifferences.randomBuffer(count: rows * heads * width, seed: 21)
        let projection = FiniteDifferences.randomBuffer(count: x.count, seed: 22)
        let rotated = FloatBuffer(count: x.count)
        func loss() -> Double {
            rotated.pointer.update(from: x.pointer, count: x.count)
            rope.rotate(
                rotated.pointer, rowCount: rows, rowStride: heads * width, headCount: heads,
                positions: positions.pointer)
            return FiniteDifferences.projected(rotated.pointer, projection.pointer, count: x.count)
        }
        let gradient = FloatBuffer(count: x.count)
        gradient.pointer.update(from: projection.pointer, count: x.count)
        rope.rotate(
            gradient.pointer, rowCount: rows, rowStride: heads * width, headCount: heads, positions: positions.pointer,
            inverse: true)
        let indices = Array(0..<x.count)
        let numeric = FiniteDifferences.gradient(of: x.pointer, at: indices, epsilon: epsilon, loss: loss)
        #expect(
            FiniteDifferences.maxRelativeError(indices.map { Double(gradient[$0]) }, numeric, floor: floor) < tolerance)
        withExtendedLifetime(positions) {}
    }

    @Test("SwiGLU forward equals silu(gate) * up, and its backward equals finite differences")
    func swiGLU() {
        let count = 37
        let gate = FiniteDifferences.randomBuffer(count: count, seed: 31, standardDeviation: 2)
        let up = FiniteDifferences.randomBuffer(count: count, seed: 32)
        let projection = FiniteDifferences.randomBuffer(count: count, seed: 33)
        let out = FloatBuffer(count: count)
        func loss() -> Double {
            SwiGLU.forward(gate: gate.pointer, up: up.pointer, out: out.pointer, count: count)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: count)
        }
        _ = loss()
        for index in 0..<count {
            let g = Double(gate[index])
            let expected = g / (1 + exp(-g)) * Double(up[index])
            #expect(abs(Double(out[index]) - expected) <= 1e-6 * max(1, abs(expected)))
        }
        let dGate = FloatBuffer(count: count)
        let dUp = FloatBuffer(count: count)
        SwiGLU.backward(
            dOut: projection.pointer, gate: gate.pointer, up: up.pointer, dGate: dGate.pointer, dUp: dUp.pointer,
            count: count)
        for (values, gradient) in [(gate, dGate), (up, dUp)] {
            let indices = Array(0..<count)
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            #expect(
                FiniteDifferences.maxRelativeError(indices.map { Double(gradient[$0]) }, numeric, floor: floor)
                    < tolerance)
        }
    }
}
