// Property tests over random inputs from a seeded SplitMix64: weights, ESS, bound and invariances.

import Testing
import VRCore
import VRObjectives

@Suite("Properties over random inputs")
struct PropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 0xDEAD_BEEF, 0x5EED]
    static let questionsPerSeed = 200

    @Test(
        "[E4] [E6] weights are finite, non-negative, sum to 1 (or are all zero), ESS in [1, usable]", arguments: seeds)
    func weightInvariants(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<Self.questionsPerSeed {
            let traceCount = Int.random(in: 1...8, using: &generator)
            let traces = (0..<traceCount).map { _ in RandomEvidence.accTrace(&generator) }
            let normalization = Bool.random(using: &generator) ? TraceNormalization.perToken : .exact
            let result = try normalizedWeights(traces: traces, estimator: .accuracy, normalization: normalization)
            let diagnostics = result.diagnostics
            #expect(result.weights.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            if diagnostics.hasUsableTrace {
                #expect(isClose(result.weights.reduce(0, +), 1, tolerance: 1e-12))
                #expect(diagnostics.effectiveSampleSize >= 1 - 1e-12)
                #expect(diagnostics.effectiveSampleSize <= Double(diagnostics.usableCount) + 1e-9)
                #expect(diagnostics.maxWeight >= 1 / Double(diagnostics.usableCount) - 1e-12)
            } else {
                #expect(result.weights.allSatisfy { $0 == 0 })
            }
        }
    }

    @Test("[E4] adding one constant to every log weight of a question leaves its weights unchanged", arguments: seeds)
    func shiftInvariance(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<Self.questionsPerSeed {
            let logWeights = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                Double.random(in: -50...50, using: &generator)
            }
            let shift = Double.random(in: -1e4...1e4, using: &generator)
            let original = normalizedWeights(logWeights: logWeights).weights
            #expect(
                isClose(normalizedWeights(logWeights: logWeights.map { $0 + shift }).weights, original, tolerance: 1e-9)
            )
        }
    }

    @Test("[E4] permuting the traces permutes the weights", arguments: seeds)
    func permutationEquivariance(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<Self.questionsPerSeed {
            let traces = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                RandomEvidence.referenceTrace(&generator)
            }
            let order = traces.indices.shuffled(using: &generator)
            let weights = try normalizedWeights(traces: traces, estimator: .geometricMeanLikelihood).weights
            let permuted = try normalizedWeights(traces: order.map { traces[$0] }, estimator: .geometricMeanLikelihood)
                .weights
            #expect(isClose(permuted, order.map { weights[$0] }, tolerance: 1e-12))
        }
    }

    @Test("[E3] the bound lies between the mean and the maximum of the exact log weights", arguments: seeds)
    func boundBetweenMeanAndMax(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<Self.questionsPerSeed {
            let traces = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                RandomEvidence.referenceTrace(&generator)
            }
            let logWeights = try logImportanceWeights(traces, estimator: .likelihood, normalization: .exact)
            let bound = try multiTraceBound(traces: traces, estimator: .likelihood)
            let mean = logWeights.reduce(0, +) / Double(logWeights.count)
            #expect(bound >= mean - 1e-9)
            #expect(bound <= (logWeights.max() ?? 0) + 1e-9)
        }
    }

    @Test("[E2] K = 1: the bound is the trace's exact log weight, its normalised weight 1", arguments: seeds)
    func singleTrace(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<Self.questionsPerSeed {
            let trace = RandomEvidence.referenceTrace(&generator)
            let logWeight = try logImportanceWeight(trace, estimator: .likelihood, normalization: .exact)
            #expect(isClose(try multiTraceBound(traces: [trace], estimator: .likelihood), logWeight))
            #expect(try normalizedWeights(traces: [trace], estimator: .likelihood).weights == [1])
        }
    }

    @Test("[E4] extreme and non-finite log weights never produce NaN weights", arguments: seeds)
    func extremeInputs(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let pool: [Double] = [-.infinity, .infinity, .nan, -1e4, 1e4, -1e300, 1e300, 0, -745, -746]
        for _ in 0..<Self.questionsPerSeed {
            let logWeights = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? pool.randomElement(using: &generator) ?? 0 : Double.random(in: -100...100, using: &generator)
            }
            let result = normalizedWeights(logWeights: logWeights)
            #expect(result.weights.allSatisfy { !$0.isNaN && $0 >= 0 })
            #expect(!result.diagnostics.effectiveSampleSize.isNaN && !result.diagnostics.maxWeight.isNaN)
            let total = result.weights.reduce(0, +)
            #expect(isClose(total, result.diagnostics.hasUsableTrace ? 1 : 0, tolerance: 1e-12))
        }
    }
}
