// The softmax over log weights and its diagnostics, including every non-finite input ([E4]).

import Foundation
import Testing
import VRObjectives

@Suite("[E4] Self-normalised weights")
struct NormalizedWeightsTests {
    @Test("[E4] log weights 0 and log 3 give weights 1/4 and 3/4, ESS 1.6, max 3/4")
    func closedForm() {
        let result = normalizedWeights(logWeights: [0, log(3)])
        #expect(isClose(result.weights, [0.25, 0.75]))
        #expect(isClose(result.diagnostics.effectiveSampleSize, 1.6))
        #expect(isClose(result.diagnostics.maxWeight, 0.75))
        #expect(result.diagnostics.usableCount == 2)
        #expect(result.diagnostics.traceCount == 2)
    }

    @Test("[E4] adding a constant to every log weight leaves the weights unchanged")
    func shiftInvariance() {
        let logWeights = [-1.0, 0.5, -3.0, 2.0]
        let original = normalizedWeights(logWeights: logWeights).weights
        for shift in [-1e4, -50.0, 3.0, 700.0, 1e4] {
            #expect(isClose(normalizedWeights(logWeights: logWeights.map { $0 + shift }).weights, original))
        }
    }

    @Test("[E4] huge log weights do not overflow: 1000 and 1000 give 1/2 each")
    func noOverflow() {
        #expect(normalizedWeights(logWeights: [1000, 1000]).weights == [0.5, 0.5])
        #expect(normalizedWeights(logWeights: [0, -1e4]).weights == [1, 0])
    }

    @Test("[E4] all -infinity: zero weights, no usable trace, ESS 0")
    func allNegativeInfinity() {
        let result = normalizedWeights(logWeights: [-.infinity, -.infinity, -.infinity])
        #expect(result.weights == [0, 0, 0])
        #expect(!result.diagnostics.hasUsableTrace)
        #expect(result.diagnostics.effectiveSampleSize == 0)
        #expect(result.diagnostics.maxWeight == 0)
        #expect(result.diagnostics.nonFiniteCount == 0)
    }

    @Test("[E4] K = 0 gives no weights and no usable trace")
    func empty() {
        let result = normalizedWeights(logWeights: [])
        #expect(result.weights.isEmpty)
        #expect(!result.diagnostics.hasUsableTrace)
    }

    @Test("[E4] NaN and +infinity get weight 0 and are counted; the rest still sum to 1")
    func nonFinite() {
        let result = normalizedWeights(logWeights: [.nan, 0, .infinity, log(3)])
        #expect(isClose(result.weights, [0, 0.25, 0, 0.75]))
        #expect(result.diagnostics.nonFiniteCount == 2)
        #expect(result.diagnostics.usableCount == 2)
        let onlyBad = normalizedWeights(logWeights: [.nan, .infinity])
        #expect(onlyBad.weights == [0, 0])
        #expect(onlyBad.diagnostics.nonFiniteCount == 2)
        #expect(!onlyBad.diagnostics.hasUsableTrace)
    }

    @Test("[E4] ESS: 1/sum w^2 for normalised weights, scale-free, 0 without a positive weight")
    func effectiveSampleSizeClosedForms() {
        #expect(effectiveSampleSize(weights: [0.25, 0.25, 0.25, 0.25]) == 4)
        #expect(effectiveSampleSize(weights: [1, 0, 0]) == 1)
        #expect(isClose(effectiveSampleSize(weights: [2, 2]), 2))
        #expect(isClose(effectiveSampleSize(weights: [1e-300, 3e-300]), 1.6))
        #expect(effectiveSampleSize(weights: []) == 0)
        #expect(effectiveSampleSize(weights: [0, 0]) == 0)
        #expect(isClose(effectiveSampleSize(weights: [.nan, 0.5, 0.5, .infinity]), 2))
    }
}
