import Foundation
import Testing
import VRTensor
import VRTestSupport

/// Every backward kernel against central finite differences of a random projection of its output.
/// Float32 forward passes with a step of 1e-2 give about 1e-3 relative agreement; the tolerances below
/// leave a factor of about 10 over what was observed.
@Suite("kernel gradients vs finite differences")
struct KernelGradientTests {
    let epsilon: Float = 1e-2
    let tolerance = 1e-2
    let floor = 1e-2

    @Test("LayerNorm backward: input, scale and shift")
    func layerNorm() {
        let (n, c) = (3, 21)
        let x = FiniteDifferences.randomBuffer(count: n * c, seed: 1)
        let weight = FiniteDifferences.randomBuffer(count: c, seed: 2)
        let bias = FiniteDifferences.randomBuffer(count: c, seed: 3)
        let projection = FiniteDifferences.randomBuffer(count: n * c, seed: 4)
        let out = FloatBuffer(count: n * c)
        let mean = FloatBuffer(count: n)
        let rstd = FloatBuffer(count: n)
        func loss() -> Double {
            LayerNorm.forward(
                input: x.pointer, weight: weight.pointer, bias: bias.pointer, out: out.pointer, mean: mean.pointer,
                rstd: rstd.pointer, rowCount: n, channels: c)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: n * c)
        }
        _ = loss()
        let dx = FloatBuffer(count: n * c)
        let dWeight = FloatBuffer(count: c)
        let dBias = FloatBuffer(count: c)
        LayerNorm.backward(
            dOut: projection.pointer, input: x.pointer, weight: weight.pointer, mean: mean.pointer, rstd: rstd.pointer,
            dInput: dx.pointer, dWeight: dWeight.pointer, dBias: dBias.pointer, rowCount: n, channels: c)
        for (values, gradient) in [(x, dx), (weight, dWeight), (bias, dBias)] {
            let indices = Array(0..<values.count)
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            let analytic = indices.map { Double(gradient[$0]) }
            #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
        }
    }

    @Test("Linear backward: input, weight and bias", arguments: [(5, 7, 9), (70, 64, 72)])
    func linear(shape: (Int, Int, Int)) {
        let (n, inputs, outputs) = shape
        let x = FiniteDifferences.randomBuffer(count: n * inputs, seed: 5)
        let weight = FiniteDifferences.randomBuffer(count: outputs * inputs, seed: 6, standardDeviation: 0.3)
        let bias = FiniteDifferences.randomBuffer(count: outputs, seed: 7)
        let projection = FiniteDifferences.randomBuffer(count: n * outputs, seed: 8)
        let out = FloatBuffer(count: n * outputs)
        func loss() -> Double {
            Linear.forward(
                input: x.pointer, weight: weight.pointer, bias: bias.pointer, out: out.pointer, rowCount: n,
                inputCount: inputs, outputCount: outputs)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: n * outputs)
        }
        let dx = FloatBuffer(count: n * inputs)
        let dWeight = FloatBuffer(count: outputs * inputs)
        let dBias = FloatBuffer(count: outputs)
        Linear.backward(
            dOut: projection.pointer, input: x.pointer, weight: weight.pointer, dInput: dx.pointer,
            dWeight: dWeight.pointer, dBias: dBias.pointer, rowCount: n, inputCount: inputs, outputCount: outputs)
        for (values, gradient) in [(x, dx), (weight, dWeight), (bias, dBias)] {
            // A linear loss has an exact central difference, so a sample of 40 elements suffices.
            let indices = stride(from: 0, to: values.count, by: max(1, values.count / 40)).map { $0 }
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            let analytic = indices.map { Double(gradient[$0]) }
            #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
        }
    }

    @Test("GELU backward, including a partial SIMD block")
    func gelu() {
        let count = 37
        let x = FiniteDifferences.randomBuffer(count: count, seed: 9, standardDeviation: 2)
        let projection = FiniteDifferences.randomBuffer(count: count, seed: 10)
        let out = FloatBuffer(count: count)
        func loss() -> Double {
            GELU.forward(input: x.pointer, out: out.pointer, count: count)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: count)
        }
        let dx = FloatBuffer(count: count)
        GELU.backward(dOut: projection.pointer, input: x.pointer, dInput: dx.pointer, count: count)
        let numeric = FiniteDifferences.gradient(of: x.pointer, at: Array(0..<count), epsilon: 1e-3, loss: loss)
        #expect(FiniteDifferences.maxRelativeError(dx.array.map(Double.init), numeric, floor: floor) < tolerance)
    }

    @Test(
        "causal attention backward through queries, keys and values, with and without grouped key/value heads",
        arguments: [(2, 2), (4, 2), (3, 1)])
    func attention(heads: Int, keyValueHeads: Int) {
        let shape = CausalAttention.Shape(batch: 2, time: 5, heads: heads, keyValueHeads: keyValueHeads, headWidth: 4)
        let qkvCount = 2 * 5 * shape.qkvWidth
        let qkv = FiniteDifferences.randomBuffer(count: qkvCount, seed: 11)
        let projection = FiniteDifferences.randomBuffer(count: 2 * 5 * shape.outputWidth, seed: 12)
        let probabilities = FloatBuffer(count: 2 * heads * 5 * 5)
        let out = FloatBuffer(count: 2 * 5 * shape.outputWidth)
        func loss() -> Double {
            CausalAttention.forward(
                qkv: qkv.pointer, probabilities: probabilities.pointer, out: out.pointer, shape: shape)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: out.count)
        }
        _ = loss()
        let dQKV = FloatBuffer(count: qkvCount)
        CausalAttention.backward(
            dOut: projection.pointer, qkv: qkv.pointer, probabilities: probabilities.pointer, dQKV: dQKV.pointer,
            shape: shape)
        let numeric = FiniteDifferences.gradient(of: qkv.pointer, at: Array(0..<qkvCount), epsilon: epsilon, loss: loss)
        #expect(FiniteDifferences.maxRelativeError(dQKV.array.map(Double.init), numeric, floor: floor) < tolerance)
    }

    @Test("causal attention over several row blocks (T = 70) matches a naive forward and finite differences")
    func blockedAttention() {
        let shape = CausalAttention.Shape(batch: 1, time: 70, heads: 2, keyValueHeads: 2, headWidth: 4)
        let (t, c, d) = (70, 8, 4)
        let qkv = FiniteDifferences.randomBuffer(count: t * 3 * c, seed: 17)
        let projection = FiniteDifferences.randomBuffer(count: t * c, seed: 18)
        let probabilities = FloatBuffer(count: 2 * t * t)
        let out = FloatBuffer(count: t * c)
        func loss() -> Double {
            CausalAttention.forward(
                qkv: qkv.pointer, probabilities: probabilities.pointer, out: out.pointer, shape: shape)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: out.count)
        }
        _ = loss()
        var worst = 0.0
        for head in 0..<2 {
            for row in 0..<t {
                let scores = (0...row).map { key in
                    (0..<d).reduce(0.0) {
                        $0 + Double(qkv[row * 3 * c + head * d + $1] * qkv[key * 3 * c + c + head * d + $1])
                    }
                        / Double(d).squareRoot()
                }
                let top = scores.max() ?? 0
                let total = scores.reduce(0) { $0 + exp($1 - top) }
                for dimension in 0..<d {
                    let expected = (0...row).reduce(0.0) {
                        $0 + exp(scores[$1] - top) / total * Double(qkv[$1 * 3 * c + 2 * c + head * d + dimension])
                    }
                    worst = max(worst, abs(expected - Double(out[row * c + head * d + dimension])))
                }
            }
        }
        #expect(worst < 1e-5)
        let dQKV = FloatBuffer(count: qkv.count)
        CausalAttention.backward(
            dOut: projection.pointer, qkv: qkv.pointer, probabilities: probabilities.pointer, dQKV: dQKV.pointer,
            shape: shape)
        let indices = stride(from: 0, to: qkv.count, by: 7).map { $0 }
        let numeric = FiniteDifferences.gradient(of: qkv.pointer, at: indices, epsilon: epsilon, loss: loss)
        let analytic = indices.map { Double(dQKV[$0]) }
        #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
    }

    @Test("weighted softmax cross-entropy gradient, with ignored rows")
    func crossEntropy() {
        let (n, v) = (4, 19)
        let logits = FiniteDifferences.randomBuffer(count: n * v, seed: 13, standardDeviation: 2)
        let targets = TokenBuffer([3, -1, 18, 0])
        let weights = FloatBuffer([0.5, 0, 2, 1])
        let scratch = FloatBuffer(count: n * v)
        let logProbs = FloatBuffer(count: n)
        func loss() -> Double {
            scratch.copy(from: logits)
            return SoftmaxCrossEntropy.lossAndGradient(
                logits: scratch.pointer, targets: targets.pointer, weights: weights.pointer, scale: 0.25,
                logProbs: logProbs.pointer, rowCount: n, vocabularySize: v)
        }
        _ = loss()
        let analytic = scratch.array.map(Double.init)
        let numeric = FiniteDifferences.gradient(of: logits.pointer, at: Array(0..<(n * v)), epsilon: 1e-2, loss: loss)
        #expect(FiniteDifferences.maxRelativeError(analytic, numeric, floor: floor) < tolerance)
        #expect(logProbs[1] == 0)
        #expect(analytic[v..<(2 * v)].allSatisfy { $0 == 0 })
    }

    @Test("embedding backward accumulates rows that share a token")
    func embedding() {
        let (n, c, vocabulary, positions) = (4, 5, 3, 2)
        let tokens = TokenBuffer([2, 0, 2, 1])
        let positionIds = TokenBuffer([0, 1, 0, 1])
        let tokenTable = FiniteDifferences.randomBuffer(count: vocabulary * c, seed: 14)
        let positionTable = FiniteDifferences.randomBuffer(count: positions * c, seed: 15)
        let projection = FiniteDifferences.randomBuffer(count: n * c, seed: 16)
        let out = FloatBuffer(count: n * c)
        func loss() -> Double {
            Embedding.forward(
                tokens: tokens.pointer, positions: positionIds.pointer, tokenTable: tokenTable.pointer,
                positionTable: positionTable.pointer, out: out.pointer, rowCount: n, channels: c)
            return FiniteDifferences.projected(out.pointer, projection.pointer, count: n * c)
        }
        let dTokens = FloatBuffer(count: vocabulary * c)
        let dPositions = FloatBuffer(count: positions * c)
        Embedding.backward(
            dOut: projection.pointer, tokens: tokens.pointer, positions: positionIds.pointer,
            dTokenTable: dTokens.pointer, dPositionTable: dPositions.pointer, rowCount: n, channels: c)
        for (values, gradient) in [(tokenTable, dTokens), (positionTable, dPositions)] {
            let indices = Array(0..<values.count)
            let numeric = FiniteDifferences.gradient(of: values.pointer, at: indices, epsilon: epsilon, loss: loss)
            #expect(
                FiniteDifferences.maxRelativeError(indices.map { Double(gradient[$0]) }, numeric, floor: floor)
                    < tolerance)
        }
        // Token 2 appears in rows 0 and 2 at position 0: its gradient is the sum of both rows.
        #expect(abs(dTokens[2 * c] - (projection[0] + projection[2 * c])) < 1e-6)
    }
}
