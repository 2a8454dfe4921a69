// GRPO's per-token weights against the clipped surrogate they differentiate, by central finite differences.

import Foundation
import Testing
import VRObjectives

@Suite("clipped surrogate")
struct ClippedSurrogateTests {
    /// J(logPi) = sum_t min(r_t A, clip(r_t) A) - beta sum_t (exp(d_t) - d_t - 1), d_t = logRef_t - logPi_t.
    func surrogate(
        _ logPi: [Double], advantage: Double, logBehaviour: [Double], logReference: [Double], settings: ClippedSurrogate
    ) -> Double {
        logPi.indices.reduce(0) { total, token in
            let ratio = exp(logPi[token] - logBehaviour[token])
            let clipped = min(max(ratio, 1 - settings.clipRange), 1 + settings.clipRange)
            let difference = logReference[token] - logPi[token]
            return total + min(ratio * advantage, clipped * advantage)
                - settings.klCoefficient * (exp(difference) - difference - 1)
        }
    }

    @Test(
        "[E12] each token's weight is the derivative of the clipped surrogate and the KL penalty in its log pi",
        arguments: [(1.3, 0.0), (-0.7, 0.0), (1.3, 0.05), (-0.7, 0.2)])
    func finiteDifferences(advantage: Double, klCoefficient: Double) throws {
        let settings = ClippedSurrogate(clipRange: 0.2, klCoefficient: klCoefficient)
        // Ratios inside the clip range and outside it on both sides (away from its kinks).
        let logBehaviour = [-1.0, -2, -0.5, -3, -1.5, -0.8]
        let logPi = zip(logBehaviour, [0.0, 0.1, -0.1, 0.5, -0.6, 0.15]).map { $0 + $1 }
        let logReference = [-1.2, -1.8, -0.4, -2.5, -1.9, -0.9]
        let weights = try settings.tokenWeights(
            advantage: advantage, logPi: logPi, logBehaviour: logBehaviour, logReference: logReference)
        let step = 1e-5
        for token in logPi.indices {
            var up = logPi
            var down = logPi
            up[token] += step
            down[token] -= step
            let numeric =
                (surrogate(
                    up, advantage: advantage, logBehaviour: logBehaviour, logReference: logReference, settings: settings
                )
                    - surrogate(
                        down, advantage: advantage, logBehaviour: logBehaviour, logReference: logReference,
                        settings: settings)) / (2 * step)
            #expect(abs(weights[token] - numeric) < 1e-6, "token \(token): \(weights[token]) vs \(numeric)")
        }
        // A token whose ratio left the range in its advantage's direction has no policy weight: 1.65 > 1.2 for
        // A > 0, 0.55 < 0.8 for A < 0.
        let clippedToken = advantage > 0 ? 3 : 4
        let klPart = klCoefficient * (exp(logReference[clippedToken] - logPi[clippedToken]) - 1)
        #expect(abs(weights[clippedToken] - klPart) < 1e-12)
    }

    @Test("bad settings and inputs are refused with what is wrong")
    func refusals() {
        #expect(throws: ObjectiveError.self) { try ClippedSurrogate(clipRange: 0, klCoefficient: 0).validate() }
        #expect(throws: ObjectiveError.self) { try ClippedSurrogate(clipRange: 0.2, klCoefficient: -1).validate() }
        let settings = ClippedSurrogate(clipRange: 0.2, klCoefficient: 0.1)
        #expect(throws: ObjectiveError.self) {
            try settings.tokenWeights(advantage: 1, logPi: [-1, -1], logBehaviour: [-1], logReference: [-1, -1])
        }
        #expect(throws: ObjectiveError.self) {
            try settings.tokenWeights(advantage: 1, logPi: [-1], logBehaviour: [-1], logReference: nil)
        }
        #expect(throws: ObjectiveError.self) {
            try settings.tokenWeights(advantage: .nan, logPi: [-1], logBehaviour: [-1], logReference: [-1])
        }
        #expect(throws: ObjectiveError.self) {
            try settings.tokenWeights(advantage: 1, logPi: [.nan], logBehaviour: [-1], logReference: [-1])
        }
    }

    @Test("[E5] a closing marker of other length: content pairs up, the marker's total log q is spread over pi's")
    func markerAlignment() {
        #expect(alignMarker(logQ: [-1, -2, -3], markerCount: 1, piMarkerCount: 1) == [-1, -2, -3])
        let aligned = alignMarker(logQ: [-1, -2, -3, -0.5], markerCount: 2, piMarkerCount: 3)
        #expect(aligned.count == 5 && aligned.prefix(2) == [-1, -2])
        #expect(abs(aligned.reduce(0, +) - (-6.5)) < 1e-6)
        #expect(aligned.suffix(3).allSatisfy { abs($0 - (-3.5 / 3)) < 1e-6 })
    }
}
