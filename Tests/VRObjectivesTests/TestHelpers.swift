// Builders for trace evidence and a tolerance comparison shared by the objective tests.

import VRCore
import VRObjectives

/// Whether two values agree within an absolute plus relative tolerance (equal infinities agree).
func isClose(_ actual: Double, _ expected: Double, tolerance: Double = 1e-12) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Whether two arrays agree elementwise within `tolerance`.
func isClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

/// A trace with Acc evidence.
func accTrace(logPi: [Double], logQ: [Double], correct: Int, total: Int = 8) -> TraceEvidence {
    TraceEvidence(logPiTrace: logPi, logQTrace: logQ, answer: .sampled(correct: correct, total: total))
}

/// A trace with reference-answer evidence (GML and L).
func referenceTrace(logPi: [Double], logQ: [Double], answer: [Double]) -> TraceEvidence {
    TraceEvidence(logPiTrace: logPi, logQTrace: logQ, answer: .referenceLogProbs(answer))
}

/// Random inputs for property tests.
enum RandomEvidence {
    /// A per-token log-probability in [-12, 0).
    static func logProb(_ generator: inout SeededGenerator) -> Double {
        -Double.random(in: 1e-6..<12, using: &generator)
    }

    /// `count` random per-token log-probabilities.
    static func logProbs(count: Int, _ generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in logProb(&generator) }
    }

    /// A random Acc trace of 0...maxTokens tokens with `total` sampled answers.
    static func accTrace(_ generator: inout SeededGenerator, maxTokens: Int = 12, total: Int = 8) -> TraceEvidence {
        let count = Int.random(in: 0...maxTokens, using: &generator)
        return TraceEvidence(
            logPiTrace: logProbs(count: count, &generator), logQTrace: logProbs(count: count, &generator),
            answer: .sampled(correct: Int.random(in: 0...total, using: &generator), total: total))
    }

    /// A random GML/L trace with a reference answer of 1...6 tokens.
    static func referenceTrace(_ generator: inout SeededGenerator, maxTokens: Int = 12) -> TraceEvidence {
        let count = Int.random(in: 0...maxTokens, using: &generator)
        return TraceEvidence(
            logPiTrace: logProbs(count: count, &generator), logQTrace: logProbs(count: count, &generator),
            answer: .referenceLogProbs(logProbs(count: Int.random(in: 1...6, using: &generator), &generator)))
    }
}
