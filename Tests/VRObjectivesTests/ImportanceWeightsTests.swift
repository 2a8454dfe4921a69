// Log importance weights log rho_k from traces and the weights rhoTilde they give ([E3]-[E6]).

import Foundation
import Testing
import VRObjectives

@Suite("[E4] Importance weights from traces")
struct ImportanceWeightsTests {
    /// Trace A: per-token log ratio +1 over 2 tokens, Acc 4/8. Trace B: log ratio -2 over 1 token, Acc 8/8.
    let traces = [
        accTrace(logPi: [-1, -1], logQ: [-2, -2], correct: 4),
        accTrace(logPi: [-3], logQ: [-1], correct: 8),
    ]

    @Test("[E5] [E6] per-token log rho_k = log acc_k + mean(logPi - logQ), by hand")
    func perTokenClosedForm() throws {
        let logWeights = try logImportanceWeights(traces, estimator: .accuracy)
        #expect(isClose(logWeights, [log(0.5) + 1, -2]))
        let expectedA = 0.5 * exp(1) / (0.5 * exp(1) + exp(-2))
        let weights = try normalizedWeights(traces: traces, estimator: .accuracy)
        #expect(isClose(weights.weights, [expectedA, 1 - expectedA]))
    }

    @Test("[E3] exact log rho_k = log acc_k + sum(logPi - logQ), by hand")
    func exactClosedForm() throws {
        let logWeights = try logImportanceWeights(traces, estimator: .accuracy, normalization: .exact)
        #expect(isClose(logWeights, [log(0.5) + 2, -2]))
    }

    @Test("[E6] GML and L read the reference answer: mean and sum of its log-probs")
    func referenceEstimators() throws {
        let trace = referenceTrace(logPi: [-1, -3], logQ: [-2, -2], answer: [-0.5, -1.5])
        #expect(isClose(try logImportanceWeight(trace, estimator: .geometricMeanLikelihood), -1 + 0))
        #expect(isClose(try logImportanceWeight(trace, estimator: .likelihood, normalization: .exact), -2 + 0))
    }

    @Test("[E6] Acc zero-weight rule: a trace with acc 0 gets weight 0, the rest renormalise")
    func accuracyZeroWeight() throws {
        let withZero = traces + [accTrace(logPi: [-0.1], logQ: [-5], correct: 0)]
        let weights = try normalizedWeights(traces: withZero, estimator: .accuracy)
        let withoutZero = try normalizedWeights(traces: traces, estimator: .accuracy)
        #expect(weights.weights[2] == 0)
        #expect(isClose(Array(weights.weights.prefix(2)), withoutZero.weights))
        #expect(weights.diagnostics.usableCount == 2)
    }

    @Test("[E6] every trace at acc 0: all-zero weights flagged 'no usable trace', never NaN")
    func allZeroAccuracy() throws {
        let zero = [accTrace(logPi: [-1], logQ: [-1], correct: 0), accTrace(logPi: [], logQ: [], correct: 0)]
        let weights = try normalizedWeights(traces: zero, estimator: .accuracy)
        #expect(weights.weights == [0, 0])
        #expect(!weights.diagnostics.hasUsableTrace)
        #expect(weights.diagnostics.effectiveSampleSize == 0)
    }

    @Test("[E5] adding a constant to every logPi token of a question leaves per-token weights unchanged")
    func perTokenShiftInvariance() throws {
        let shifted = traces.map { trace in
            TraceEvidence(
                logPiTrace: trace.logPiTrace.map { $0 - 7.25 }, logQTrace: trace.logQTrace, answer: trace.answer)
        }
        let original = try normalizedWeights(traces: traces, estimator: .accuracy).weights
        #expect(isClose(try normalizedWeights(traces: shifted, estimator: .accuracy).weights, original))
    }

    @Test("[E6] adding a constant to every reference-answer token leaves GML weights unchanged")
    func answerShiftInvariance() throws {
        let base = [
            referenceTrace(logPi: [-1, -2], logQ: [-1.5, -1.5], answer: [-0.2, -0.4]),
            referenceTrace(logPi: [-4], logQ: [-1], answer: [-3]),
        ]
        let shifted = base.map { trace -> TraceEvidence in
            guard case .referenceLogProbs(let answer) = trace.answer else { return trace }
            return referenceTrace(logPi: trace.logPiTrace, logQ: trace.logQTrace, answer: answer.map { $0 - 3 })
        }
        let original = try normalizedWeights(traces: base, estimator: .geometricMeanLikelihood).weights
        #expect(isClose(try normalizedWeights(traces: shifted, estimator: .geometricMeanLikelihood).weights, original))
    }

    @Test("[E4] log-probs of -1e4 give finite weights that sum to 1")
    func extremeLogProbs() throws {
        let extreme = [
            accTrace(logPi: Array(repeating: -1e4, count: 50), logQ: Array(repeating: -1, count: 50), correct: 1),
            accTrace(logPi: [-1], logQ: [-1e4], correct: 8),
            accTrace(logPi: [-1e4], logQ: [-1e4], correct: 2),
        ]
        for normalization in TraceNormalization.allCases {
            let weights = try normalizedWeights(traces: extreme, estimator: .accuracy, normalization: normalization)
            #expect(weights.weights.allSatisfy { $0.isFinite && $0 >= 0 })
            #expect(isClose(weights.weights.reduce(0, +), 1))
            #expect(isClose(weights.weights[1], 1))
        }
    }

    @Test("[E5] an empty trace has ratio 1: its weight is set by its answer alone")
    func emptyTrace() throws {
        let empty = [accTrace(logPi: [], logQ: [], correct: 2), accTrace(logPi: [], logQ: [], correct: 6)]
        #expect(isClose(try normalizedWeights(traces: empty, estimator: .accuracy).weights, [0.25, 0.75]))
    }

    @Test("[E4] NaN in a batch throws an error naming question, trace and token")
    func errorLocation() throws {
        var questions = [traces, traces, traces]
        questions[2][1] = accTrace(logPi: [-1, -1, -1, .nan], logQ: [-1, -1, -1, -1], correct: 3)
        let expected = ObjectiveError.nonFiniteValue(
            .nan, field: .logPiTrace, at: EvidenceLocation(question: 2, trace: 1, token: 3))
        #expect(throws: expected) { try normalizedWeights(questions: questions, estimator: .accuracy) }
        #expect(expected.description.contains("question 2, trace 1, token 3"))
    }

    @Test("[E4] a batch normalises each question over its own traces")
    func batch() throws {
        let second = [accTrace(logPi: [-1], logQ: [-1], correct: 1), accTrace(logPi: [-1], logQ: [-1], correct: 3)]
        let results = try normalizedWeights(questions: [traces, second], estimator: .accuracy)
        #expect(results.count == 2)
        #expect(isClose(results[1].weights, [0.25, 0.75]))
        #expect(results.allSatisfy { isClose($0.weights.reduce(0, +), 1) })
    }

    @Test("[E4] K = 1 gives weight 1")
    func singleTrace() throws {
        let weights = try normalizedWeights(traces: [traces[0]], estimator: .accuracy)
        #expect(weights.weights == [1])
        #expect(weights.diagnostics.effectiveSampleSize == 1)
    }
}
