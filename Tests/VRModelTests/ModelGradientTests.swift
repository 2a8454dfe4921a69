import Testing
import VRCore
import VRModel
import VRTensor
import VRTestSupport

@Suite("whole-model gradient")
struct ModelGradientTests {
    /// [E10] the gradient of -(1/C) sum w log p with respect to every tensor, against central differences.
    /// Float32 forward passes limit agreement to about 1e-3 relative; the tolerance is 2e-2 with errors
    /// below 1e-3 in absolute terms treated as absolute.
    @Test("[E10] analytic gradient of the weighted NLL equals finite differences for every tensor")
    func gradientMatchesFiniteDifferences() throws {
        let model = try randomizedModel(seed: 3)
        let sequences = randomSequences(lengths: [9, 5], vocabularySize: 24, seed: 4)
        var generator = SeededGenerator(seed: 5)
        let weights: [[Float]] = sequences.map { sequence in
            (1..<sequence.count).map { _ -> Float in generator.nextUniform() * 2 }
        }
        let normalizer: Float = 7
        func loss() -> Double {
            let logProbs = try! model.forward(sequences)
            var total = 0.0
            for (sequenceWeights, sequenceLogProbs) in zip(weights, logProbs) {
                for (weight, logProb) in zip(sequenceWeights, sequenceLogProbs) {
                    total -= Double(weight) * Double(logProb) / Double(normalizer)
                }
            }
            return total
        }
        model.zeroGradients()
        let result = try model.train(sequences, targetWeights: weights, normalizer: normalizer)
        #expect(abs(result.loss - loss()) < 1e-5 * abs(result.loss))
        for view in model.layout.views {
            let indices = (0..<5).map { _ in view.offset + Int(generator.next() % UInt64(view.count)) }
            let numeric = FiniteDifferences.gradient(
                of: model.parameters.pointer, at: indices, epsilon: 1e-2, loss: loss)
            let analytic = indices.map { Double(model.gradients[$0]) }
            let error = FiniteDifferences.maxRelativeError(analytic, numeric, floor: 1e-3)
            #expect(error < 2e-2, "\(view.name): analytic \(analytic) numeric \(numeric)")
        }
    }

    @Test("gradients accumulate across calls and zeroGradients clears them")
    func accumulation() throws {
        let model = try randomizedModel(seed: 6)
        let sequences = randomSequences(lengths: [6], vocabularySize: 24, seed: 7)
        let weights = [[Float](repeating: 1, count: 5)]
        model.zeroGradients()
        _ = try model.train(sequences, targetWeights: weights, normalizer: 1)
        let once = model.gradients.array
        _ = try model.train(sequences, targetWeights: weights, normalizer: 1)
        let twice = model.gradients.array
        #expect(zip(once, twice).allSatisfy { abs(2 * $0 - $1) <= 1e-5 * max(1, abs($1)) })
        model.zeroGradients()
        #expect(model.gradients.array.allSatisfy { $0 == 0 })
    }

    @Test("zero weights give a zero loss and a zero gradient")
    func zeroWeights() throws {
        let model = try randomizedModel(seed: 8)
        let sequences = randomSequences(lengths: [7, 3], vocabularySize: 24, seed: 9)
        model.zeroGradients()
        let result = try model.train(
            sequences, targetWeights: [[Float](repeating: 0, count: 6), [0, 0]], normalizer: 1)
        #expect(result.loss == 0)
        #expect(result.weightedTargetCount == 0)
        #expect(model.gradients.array.allSatisfy { $0 == 0 })
    }

    @Test("bad batches are refused with a message naming the problem")
    func invalidInputs() throws {
        let model = try randomizedModel(seed: 10)
        #expect(throws: ModelError.invalidInput("the batch holds no sequences")) { try model.forward([]) }
        #expect(throws: ModelError.invalidInput("sequence 1 is empty")) { try model.forward([[1], []]) }
        #expect(throws: ModelError.self) { try model.forward([[1, 24]]) }
        #expect(throws: ModelError.self) { try model.forward([[Int32](repeating: 1, count: 13)]) }
        #expect(throws: ModelError.self) { try model.train([[1, 2, 3]], targetWeights: [[1]], normalizer: 1) }
        #expect(throws: ModelError.self) { try model.train([[1, 2]], targetWeights: [[.nan]], normalizer: 1) }
        #expect(throws: ModelError.self) { try model.train([[1, 2]], targetWeights: [[1]], normalizer: 0) }
        #expect(throws: ModelError.self) { try model.backward(targetWeights: [[1]], normalizer: 1) }
    }
}
