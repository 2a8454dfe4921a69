import Foundation
import Testing
import VRCore
import VRTensor
import VRTestSupport

@Suite("vector math and matrix products against scalar references")
struct VectorMathTests {
    @Test("SIMD exp matches libm to 2e-7 relative over [-87, 88]")
    func exponential() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let lanes = (0..<16).map { x + Float($0) * 0.0123 }
            let result = VectorMath.exp(Float16Lanes(lanes))
            for lane in 0..<16 {
                let reference = Foundation.exp(Double(lanes[lane]))
                worst = max(worst, Float(abs(Double(result[lane]) - reference) / reference))
            }
            x += 0.173
        }
        #expect(worst < 2e-7)
    }

    @Test("SIMD tanh saturates and matches libm")
    func hyperbolicTangent() {
        let inputs: [Float] = [-100, -20, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 3, 20, 100, 7, -7, 2]
        let result = VectorMath.tanh(Float16Lanes(inputs))
        for lane in 0..<16 {
            #expect(abs(result[lane] - Foundation.tanh(inputs[lane])) < 2e-6)
        }
    }

    /// Over [-12, 12] in 0.0137 steps (a count that leaves a partial block of 16), and at +-100 where tanh
    /// saturates.
    @Test("GELU forward matches the tanh formula in double precision")
    func geluForward() {
        let inputs = (0..<1753).map { Float($0) * 0.0137 - 12 } + [-100, 100]
        let input = FloatBuffer(inputs)
        let out = FloatBuffer(count: inputs.count)
        GELU.forward(input: input.pointer, out: out.pointer, count: inputs.count)
        for (index, x) in inputs.enumerated() {
            let u = (2 / Double.pi).squareRoot() * (Double(x) + 0.044_715 * Double(x) * Double(x) * Double(x))
            let reference = 0.5 * Double(x) * (1 + Foundation.tanh(u))
            #expect(abs(Double(out[index]) - reference) <= 1e-6 * max(1, abs(reference)))
        }
    }

    @Test("log-sum-exp is stable for large, small and -infinity entries")
    func logSumExp() {
        let values: [Float] = [1000, 999, -.infinity] + [Float](repeating: -5, count: 30)
        let result = values.withUnsafeBufferPointer { VectorMath.logSumExp($0.baseAddress!, count: $0.count) }
        let reference = 1000 + Foundation.log(1 + Foundation.exp(-1.0) + 30 * Foundation.exp(-1005.0))
        #expect(abs(Double(result) - reference) < 1e-4)
    }

    @Test("softmax rows sum to one and keep order")
    func softmax() {
        let buffer = FloatBuffer((0..<19).map { Float($0) * 0.7 - 3 })
        VectorMath.softmaxInPlace(buffer.pointer, count: 19, scale: 2)
        #expect(abs(buffer.array.reduce(0, +) - 1) < 1e-6)
        #expect(zip(buffer.array, buffer.array.dropFirst()).allSatisfy { $0 < $1 })
        let reference =
            Foundation.exp(2 * Double(18 * 0.7 - 3))
            / (0..<19).map { Foundation.exp(2 * (Double($0) * 0.7 - 3)) }.reduce(0, +)
        #expect(abs(Double(buffer[18]) - reference) < 1e-6)
    }

    @Test(
        "sgemm with every transpose combination, serial and split across threads",
        arguments: [false, true], [false, true])
    func gemm(transposeA: Bool, transposeB: Bool) {
        for (m, n, k) in [(3, 5, 4), (130, 90, 40), (20, 300, 70)] {
            let a = FiniteDifferences.randomBuffer(count: m * k, seed: 21)
            let b = FiniteDifferences.randomBuffer(count: k * n, seed: 22)
            let c = FiniteDifferences.randomBuffer(count: m * n, seed: 23)
            var expected = c.array.map { 0.5 * Double($0) }
            for i in 0..<m {
                for j in 0..<n {
                    var total = 0.0
                    for p in 0..<k {
                        let left = transposeA ? a[p * m + i] : a[i * k + p]
                        let right = transposeB ? b[j * k + p] : b[p * n + j]
                        total += Double(left) * Double(right)
                    }
                    expected[i * n + j] += 2 * total
                }
            }
            Gemm.multiply(
                m: m, n: n, k: k,
                a: MatrixOperand(a.pointer, leadingDimension: transposeA ? m : k, transposed: transposeA),
                b: MatrixOperand(b.pointer, leadingDimension: transposeB ? k : n, transposed: transposeB), c: c.pointer,
                ldc: n, alpha: 2, beta: 0.5)
            let worst = zip(c.array, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-3, "m \(m) n \(n) k \(k)")
        }
    }

    @Test("thread slices cover every index exactly once")
    func slices() {
        for count in [0, 1, 7, 100] {
            for sliceCount in 1...5 {
                let covered = (0..<sliceCount).flatMap { Array(ComputePool.slice($0, of: sliceCount, covering: count)) }
                #expect(covered == Array(0..<count))
            }
        }
    }

    @Test("the seeded generator is reproducible, splits into independent streams and is standard normal")
    func generator() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in first.next() } == (0..<10).map { _ in second.next() })
        var streamA = SeededGenerator(seed: 42).split(1)
        var streamB = SeededGenerator(seed: 42).split(2)
        #expect(streamA.next() != streamB.next())
        var normal = SeededGenerator(seed: 7)
        let samples = (0..<20_000).map { _ in Double(normal.nextNormal()) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        var uniform = SeededGenerator(seed: 8)
        #expect((0..<1000).allSatisfy { _ in (0..<1).contains(uniform.nextUniform()) })
    }
}
