import Foundation
import Testing
import VRModel
import VRTensor

@Suite("optimizer, schedule and clipping")
struct OptimizerTests {
    @Test("AdamW matches a hand-computed double-precision reference, decaying matrices only")
    func adamW() throws {
        let configuration = TransformerConfiguration(
            layerCount: 1, width: 4, headCount: 1, contextLength: 2, vocabularySize: 3)
        let layout = ParameterLayout(configuration)
        let parameters = FloatBuffer((0..<layout.parameterCount).map { Float($0 % 7) * 0.1 - 0.3 })
        let gradients = FloatBuffer((0..<layout.parameterCount).map { Float($0 % 5) * 0.2 - 0.4 })
        let optimizer = AdamW(
            configuration: AdamWConfiguration(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1), layout: layout)
        var reference = parameters.array.map(Double.init)
        var m = [Double](repeating: 0, count: reference.count)
        var v = m
        let decayed = Set(layout.views.filter { $0.shape.count == 2 }.flatMap { $0.offset..<($0.offset + $0.count) })
        for step in 1...3 {
            let rate = 0.01 * Double(step)
            optimizer.step(parameters: parameters, gradients: gradients, learningRate: Float(rate))
            for index in reference.indices {
                let g = Double(gradients[index])
                m[index] = 0.9 * m[index] + 0.1 * g
                v[index] = 0.95 * v[index] + 0.05 * g * g
                let mHat = m[index] / (1 - pow(0.9, Double(step)))
                let vHat = v[index] / (1 - pow(0.95, Double(step)))
                let decay = decayed.contains(index) ? 0.1 * reference[index] : 0
                reference[index] -= rate * (mHat / (vHat.squareRoot() + 1e-8) + decay)
            }
        }
        #expect(optimizer.stepCount == 3)
        let worst = reference.indices.map { abs(Double(parameters[$0]) - reference[$0]) }.max() ?? 1
        #expect(worst < 1e-5)
        // LayerNorm shifts (index of ln_1.bias) are not decayed: zero gradient leaves them unchanged.
        let bias = try #require(layout.views.first { $0.name == "h.0.ln_1.bias" })
        #expect(!decayed.contains(bias.offset))
    }

    @Test("warmup rises linearly, cosine decays to the minimum and stays there")
    func schedule() throws {
        let schedule = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 110)
        try schedule.validate()
        #expect(abs(schedule.rate(at: 0) - 1e-4) < 1e-9)
        #expect(abs(schedule.rate(at: 9) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 60) - 5.5e-4) < 1e-7)
        #expect(abs(schedule.rate(at: 110) - 1e-4) < 1e-9)
        #expect(schedule.rate(at: 500) == 1e-4)
        #expect(throws: ModelError.self) {
            try LearningRateSchedule(peak: 1e-3, minimum: 1e-2, warmupSteps: 0, totalSteps: 1).validate()
        }
    }

    @Test("clipping scales the gradient to the bound and reports the old norm")
    func clipping() {
        let gradients = FloatBuffer([3, 4, 0, 0])
        let norm = GradientClipping.clip(gradients, maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(abs(GradientClipping.norm(of: gradients) - 1) < 1e-6)
        let small = FloatBuffer([0.3, 0.4])
        GradientClipping.clip(small, maxNorm: 1)
        #expect(small.array == [0.3, 0.4])
        let broken = FloatBuffer([1, .nan])
        #expect(GradientClipping.clip(broken, maxNorm: 1).isNaN)
    }

    @Test("training steps on one short sequence drive its loss down")
    func memorizes() throws {
        let model = try Transformer(configuration: tinyConfiguration, seed: 30)
        let optimizer = AdamW(configuration: AdamWConfiguration(), layout: model.layout)
        let sequence: [[Int32]] = [[1, 5, 9, 13, 17, 21, 2, 6]]
        let weights = [[Float](repeating: 1, count: 7)]
        var losses: [Double] = []
        for _ in 0..<40 {
            model.zeroGradients()
            losses.append(try model.train(sequence, targetWeights: weights, normalizer: 7).loss)
            GradientClipping.clip(model.gradients, maxNorm: 1)
            optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: 1e-2)
        }
        #expect(losses[0] > 2.5)
        #expect(losses[39] < 0.2 * losses[0])
    }
}
