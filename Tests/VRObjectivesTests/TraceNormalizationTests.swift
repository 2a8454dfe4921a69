// The trace likelihood ratio: per-token geometric mean or exact sum ([E5]).

import Testing
import VRObjectives

@Suite("[E5] Trace ratio normalisation")
struct TraceNormalizationTests {
    @Test("[E5] per-token is the mean and exact the sum of logPi - logQ")
    func closedForm() throws {
        let logPi = [-1.0, -2.0, -3.0]
        let logQ = [-0.5, -1.0, -1.5]
        #expect(isClose(try TraceNormalization.perToken.logTraceRatio(logPi: logPi, logQ: logQ), -1))
        #expect(isClose(try TraceNormalization.exact.logTraceRatio(logPi: logPi, logQ: logQ), -3))
    }

    @Test("[E5] an empty trace has log ratio 0 in both modes", arguments: TraceNormalization.allCases)
    func emptyTrace(normalization: TraceNormalization) throws {
        #expect(try normalization.logTraceRatio(logPi: [], logQ: []) == 0)
    }

    @Test("[E5] log-probs of -1e4 give an exact finite ratio")
    func extremeValues() throws {
        let logPi = Array(repeating: -1e4, count: 1000)
        let logQ = Array(repeating: -1.0, count: 1000)
        #expect(isClose(try TraceNormalization.perToken.logTraceRatio(logPi: logPi, logQ: logQ), -9999))
        #expect(isClose(try TraceNormalization.exact.logTraceRatio(logPi: logPi, logQ: logQ), -9_999_000))
    }

    @Test("[E5] -infinity in logPi gives -infinity (weight zero)")
    func zeroProbabilityUnderPi() throws {
        #expect(try TraceNormalization.perToken.logTraceRatio(logPi: [-1, -.infinity], logQ: [-1, -1]) == -.infinity)
    }

    @Test("[E5] -infinity in logQ throws: q sampled the trace")
    func zeroProbabilityUnderQ() {
        #expect(
            throws: ObjectiveError.nonFiniteValue(.negativeInfinity, field: .logQTrace, at: EvidenceLocation(token: 1))
        ) {
            try TraceNormalization.perToken.logTraceRatio(logPi: [-1, -1], logQ: [-1, -.infinity])
        }
    }

    @Test("[E5] NaN or +infinity in either array throws with the token index")
    func nonFinite() {
        #expect(throws: ObjectiveError.nonFiniteValue(.nan, field: .logPiTrace, at: EvidenceLocation(token: 2))) {
            try TraceNormalization.exact.logTraceRatio(logPi: [-1, -1, .nan], logQ: [-1, -1, -1])
        }
        #expect(
            throws: ObjectiveError.nonFiniteValue(.positiveInfinity, field: .logQTrace, at: EvidenceLocation(token: 0))
        ) {
            try TraceNormalization.exact.logTraceRatio(logPi: [-1], logQ: [.infinity])
        }
    }

    @Test("[E5] logPi and logQ of different lengths throw")
    func lengthMismatch() {
        #expect(throws: ObjectiveError.lengthMismatch(logPiCount: 2, logQCount: 1, at: EvidenceLocation())) {
            try TraceNormalization.perToken.logTraceRatio(logPi: [-1, -1], logQ: [-1])
        }
    }

    @Test("[E5] [E6] finite log-probs whose sum overflows throw instead of giving NaN")
    func overflow() {
        #expect(throws: ObjectiveError.sumOverflow(field: .logPiTrace, at: EvidenceLocation())) {
            try TraceNormalization.exact.logTraceRatio(logPi: [-1, -1], logQ: [-1e308, -1e308])
        }
    }

    @Test("[E5] [E6] a positive log-probability throws with the index of the first one")
    func positiveLogProbability() throws {
        let expected = "a log-probability <= 0"
        #expect(
            throws: ObjectiveError.valueOutOfRange(0.5, field: .logQTrace, expected: expected, at: .init(token: 1))
        ) {
            try TraceNormalization.exact.logTraceRatio(logPi: [-1, -1, -1], logQ: [-1, 0.5, 2])
        }
        #expect(
            throws: ObjectiveError.valueOutOfRange(
                1e308, field: .referenceAnswer, expected: expected, at: .init(token: 0))
        ) {
            try Estimator.likelihood.logAnswerProbability(.referenceLogProbs([1e308, 1e308, -.infinity]))
        }
        // Rounding in a log-softmax can leave a token of probability one just above 0.
        #expect(try TraceNormalization.exact.logTraceRatio(logPi: [1e-6], logQ: [-1]) > 1)
    }
}
