// Trace selection for offline data sets with the released code's rules ([E4], [E5], [E6]).

import Foundation
import Testing
import VRObjectives

@Suite("[E4] [E6] Trace selection")
struct TraceSelectionTests {
    /// Per-token log rho_k: trace 0: log(2/8) + 0; trace 1: log(8/8) - 1; trace 2: acc 0;
    /// trace 3: log(4/8) + 0.5 over 5 tokens.
    let traces = [
        accTrace(logPi: [-1, -1], logQ: [-1, -1], correct: 2),
        accTrace(logPi: [-2], logQ: [-1], correct: 8),
        accTrace(logPi: [-1], logQ: [-3], correct: 0),
        accTrace(logPi: Array(repeating: -1, count: 5), logQ: Array(repeating: -1.5, count: 5), correct: 4),
    ]

    /// The chosen trace and its log weight when the choice is `.best`.
    func best(_ selection: TraceSelection) -> (trace: Int, logWeight: Double)? {
        guard case .best(let trace, let logWeight) = selection.choice else { return nil }
        return (trace, logWeight)
    }

    @Test("[E5] [E6] best trace: argmax of acc_k exp(mean(logPi - logQ)), as in the released code")
    func bestTrace() throws {
        let selection = try selectTraces(traces, estimator: .accuracy, mode: .bestTrace)
        #expect(best(selection)?.trace == 3)
        #expect(isClose(best(selection)?.logWeight ?? .nan, log(0.5) + 0.5))
        #expect(selection.zeroWeightCount == 1)
        #expect(selection.overLengthCount == 0)
    }

    @Test("[E6] best trace: over-length traces are dropped before the argmax")
    func lengthCap() throws {
        let selection = try selectTraces(traces, estimator: .accuracy, mode: .bestTrace, maxTraceTokenCount: 4)
        #expect(best(selection)?.trace == 1)
        #expect(isClose(best(selection)?.logWeight ?? .nan, -1))
        #expect(selection.overLengthCount == 1)
        let atCap = try selectTraces(traces, estimator: .accuracy, mode: .bestTrace, maxTraceTokenCount: 5)
        #expect(best(atCap)?.trace == 3)
        #expect(isClose(best(atCap)?.logWeight ?? .nan, log(0.5) + 0.5))
    }

    @Test("[E6] ties go to the first trace")
    func ties() throws {
        let tied = [
            accTrace(logPi: [-1], logQ: [-1], correct: 0), accTrace(logPi: [-1], logQ: [-1], correct: 4),
            accTrace(logPi: [-2], logQ: [-2], correct: 4),
        ]
        #expect(best(try selectTraces(tied, estimator: .accuracy, mode: .bestTrace))?.trace == 1)
    }

    @Test("[E6] no trace left (all acc 0 or too long): fall back to the reference example")
    func fallback() throws {
        let zero = [
            accTrace(logPi: [-1], logQ: [-1], correct: 0),
            accTrace(logPi: [-1, -1, -1], logQ: [-1, -1, -1], correct: 3),
        ]
        for mode in [TraceSelection.Mode.bestTrace, .allWeighted] {
            let selection = try selectTraces(zero, estimator: .accuracy, mode: mode, maxTraceTokenCount: 2)
            #expect(selection.choice == .reference)
            #expect(selection.zeroWeightCount == 1)
            #expect(selection.overLengthCount == 1)
            #expect(try selectTraces([], estimator: .accuracy, mode: mode).choice == .reference)
        }
    }

    @Test("[E4] all weighted: rhoTilde over the survivors, zero for dropped traces")
    func allWeighted() throws {
        let selection = try selectTraces(traces, estimator: .accuracy, mode: .allWeighted, maxTraceTokenCount: 4)
        let expected = normalizedWeights(logWeights: [log(0.25), -1, -.infinity, -.infinity])
        guard case .weighted(let weights) = selection.choice else {
            Issue.record("expected weighted traces, got \(selection.choice)")
            return
        }
        #expect(isClose(weights.weights, expected.weights))
        #expect(weights.diagnostics.usableCount == 2)
        #expect(isClose(weights.weights.reduce(0, +), 1))
        #expect(weights.weights[2] == 0 && weights.weights[3] == 0)
    }

    @Test("[E6] GML selection has no accuracy rule: the largest mean answer log-prob plus ratio wins")
    func geometricMean() throws {
        let candidates = [
            referenceTrace(logPi: [-1], logQ: [-1], answer: [-2, -2]),
            referenceTrace(logPi: [-1, -1], logQ: [-1.2, -1.2], answer: [-1.5]),
        ]
        let selection = try selectTraces(candidates, estimator: .geometricMeanLikelihood, mode: .bestTrace)
        #expect(best(selection)?.trace == 1)
        #expect(isClose(best(selection)?.logWeight ?? .nan, -1.5 + 0.2))
        #expect(selection.zeroWeightCount == 0)
    }

    @Test("[E6] a negative cap or invalid evidence throws")
    func invalid() {
        #expect(throws: ObjectiveError.self) {
            try selectTraces(traces, estimator: .accuracy, mode: .bestTrace, maxTraceTokenCount: -1)
        }
        #expect(throws: ObjectiveError.estimatorMismatch(.likelihood, at: EvidenceLocation(trace: 0))) {
            try selectTraces(traces, estimator: .likelihood, mode: .allWeighted)
        }
    }
}
