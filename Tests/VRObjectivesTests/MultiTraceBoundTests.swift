// The multi-trace bound L_K: K = 1 is the ELBO, and its expectation rises with K toward log P ([E1]-[E3]).

import Foundation
import Testing
import VRObjectives

@Suite("[E3] Multi-trace bound")
struct MultiTraceBoundTests {
    @Test("[E3] log weights 0 and log 3 give log 2")
    func closedForm() throws {
        #expect(isClose(try multiTraceBound(logWeights: [0, log(3)]), log(2)))
    }

    @Test("[E2] K = 1 gives the ELBO term log pi(z) + log pi(Y|z) - log q(z)")
    func singleTraceIsElbo() throws {
        let trace = referenceTrace(logPi: [-1, -2, -0.5], logQ: [-0.7, -1.1, -0.9], answer: [-0.25, -0.5])
        let elbo = (-1 - 2 - 0.5) + (-0.25 - 0.5) - (-0.7 - 1.1 - 0.9)
        #expect(isClose(try multiTraceBound(traces: [trace], estimator: .likelihood), elbo))
        let accTrace = accTrace(logPi: [-1, -2], logQ: [-0.5, -0.5], correct: 2, total: 8)
        #expect(isClose(try multiTraceBound(traces: [accTrace], estimator: .accuracy), -3 + log(0.25) + 1))
    }

    @Test("[E3] the bound uses the exact ratio even for traces of different lengths")
    func usesExactRatio() throws {
        let traces = [
            referenceTrace(logPi: [-1, -1, -1], logQ: [-2, -2, -2], answer: [-1]),
            referenceTrace(logPi: [-3], logQ: [-1], answer: [-1]),
        ]
        let expected = LogSpace.logMeanExp([3 - 1, -2 - 1])
        #expect(isClose(try multiTraceBound(traces: traces, estimator: .likelihood), expected))
    }

    @Test("[E3] all -infinity gives -infinity; K = 0 and NaN throw")
    func edges() throws {
        #expect(try multiTraceBound(logWeights: [-.infinity, -.infinity]) == -.infinity)
        #expect(throws: ObjectiveError.noTraces(at: EvidenceLocation())) { try multiTraceBound(logWeights: []) }
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .logWeight, at: EvidenceLocation(trace: 1))) {
            try multiTraceBound(logWeights: [0, .nan])
        }
        #expect(
            throws: ObjectiveError.nonFiniteValue(.positiveInfinity, field: .logWeight, at: EvidenceLocation(trace: 0))
        ) {
            try multiTraceBound(logWeights: [.infinity])
        }
    }

    /// A discrete toy: 4 one-token traces, pi(z), q(z) and pi(Y|z) known, so E over z_1..K ~ q of the
    /// estimate is an exact finite sum.
    @Test("[E1] [E2] [E3] exact expectation: L_1 = ELBO <= L_2 <= L_3 <= log P(Y|x)")
    func expectationIncreasesWithK() throws {
        let prior = [0.4, 0.3, 0.2, 0.1]
        let proposal = [0.1, 0.2, 0.3, 0.4]
        let answer = [0.05, 0.2, 0.6, 0.9]
        let logMarginal = log(zip(prior, answer).map { $0 * $1 }.reduce(0, +))
        let traces = (0..<4).map { z in
            referenceTrace(logPi: [log(prior[z])], logQ: [log(proposal[z])], answer: [log(answer[z])])
        }
        func expectedBound(_ k: Int) throws -> Double {
            var total = 0.0
            for index in 0..<Int(pow(4, Double(k))) {
                let picks = (0..<k).map { index / Int(pow(4, Double($0))) % 4 }
                let probability = picks.map { proposal[$0] }.reduce(1, *)
                total += probability * (try multiTraceBound(traces: picks.map { traces[$0] }, estimator: .likelihood))
            }
            return total
        }
        let elbo = (0..<4).map { z in proposal[z] * (log(prior[z]) + log(answer[z]) - log(proposal[z])) }.reduce(0, +)
        let bounds = try (1...3).map(expectedBound)
        #expect(isClose(bounds[0], elbo))
        #expect(bounds[0] < bounds[1] && bounds[1] < bounds[2] && bounds[2] < logMarginal)
    }
}
