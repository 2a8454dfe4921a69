// How one trace of the model phase becomes training sequences and per-token weights ([E4], [E7], [E12]).
//
// Legend: P prompt, T trace (end-of-thought marker included), O answer opening, A_j answer j; w the trace's weight.
//   sequence j = [prompt; trace; opening; answer j]   (just [prompt; trace] when no answer is trained)
//   variational and RFT: weights  w on T and O, w * share_j on A_j in sequence 0;  w * share_j on A_j only in
//                        sequence j > 0; share_j = (copies of answer j among the correct ones) / c_k   [E7]
//   GRPO:                ClippedSurrogate's weight / K on T and A_0, 0 on O (forced, never sampled)     [E12]

import VRModel
import VRObjectives
import VRWire

/// The answers one trace is trained with, and where its sequences sit in the pass.
struct TracePlan {
    /// One answer that follows the trace in a sequence.
    struct Answer {
        /// Its tokens after the opening.
        var tokens: [Int32]
        /// The log-probs of the model that sampled it; empty for the reference answer.
        var behaviourLogProbs: [Float]
        /// Its share of the answer part's weight.
        var share: Double
    }

    /// The answers, one sequence each; the first shares its sequence with the trace's own weights.
    let answers: [Answer]
    /// The index of the trace's first sequence in the pass.
    let firstSequence: Int

    /// Plans `trace` under `objective`.
    /// - Parameters:
    ///   - trace: the trace.
    ///   - objective: which answers are trained: the reference answer (GML), the trace's first sampled answer
    ///     (GRPO), or its distinct correct sampled answers (Acc and RFT, [E7]).
    ///   - firstSequence: where its first sequence goes.
    /// - Throws: `LearnerStepError.malformedTrace` for arrays that do not fit together.
    init(_ trace: TraceForTraining, objective: ModelObjective, firstSequence: Int) throws(LearnerStepError) {
        guard trace.logQ.count == trace.traceTokens.count else {
            throw .malformedTrace("\(trace.logQ.count) logQ values for \(trace.traceTokens.count) trace tokens")
        }
        guard (0...max(trace.answerCount, 0)).contains(trace.correctAnswers), trace.answerCount >= 0 else {
            throw .malformedTrace("\(trace.correctAnswers) correct of \(trace.answerCount) answers")
        }
        for answer in trace.answers where answer.behaviourLogProbs.count != answer.tokenIDs.count {
            throw .malformedTrace(
                "\(answer.behaviourLogProbs.count) behaviour log-probs for \(answer.tokenIDs.count) answer tokens")
        }
        self.firstSequence = firstSequence
        switch objective.method {
        case .variational where objective.estimator == .gml:
            answers = [Answer(tokens: trace.referenceAnswer, behaviourLogProbs: [], share: 1)]
        case .grpo:
            answers = trace.answers.prefix(1).map {
                Answer(tokens: $0.tokenIDs, behaviourLogProbs: $0.behaviourLogProbs, share: 1)
            }
        case .variational, .rft:
            let correct = trace.answers.filter(\.isCorrect)
            var distinct: [Answer] = []
            for answer in correct {
                if let index = distinct.firstIndex(where: { $0.tokens == answer.tokenIDs }) {
                    distinct[index].share += 1 / Double(correct.count)
                } else {
                    distinct.append(
                        Answer(
                            tokens: answer.tokenIDs, behaviourLogProbs: answer.behaviourLogProbs,
                            share: 1 / Double(correct.count)))
                }
            }
            answers = distinct
        }
    }

    /// The response of sequence `answer`: the trace, the opening and the answer.
    func tokens(of trace: TraceForTraining, answer: Int) -> [Int32] {
        trace.traceTokens + trace.answerOpening + answers[answer].tokens
    }

    /// GRPO's reward of a trace: the verdict on its completion, its first sampled answer; from the counts when
    /// the answers themselves are absent.
    static func completionReward(_ trace: TraceForTraining) -> Bool {
        trace.answers.first?.isCorrect
            ?? ModelObjective.isCorrect(correctAnswers: trace.correctAnswers, sampledAnswers: trace.answerCount)
    }

    /// The response weights of each of the trace's sequences.
    /// - Parameters:
    ///   - trace: the trace.
    ///   - weight: its weight: rhoTilde_k, RFT's acc_k / K, or GRPO's A_k / K.
    ///   - groupSize: K, the question's trace count (GRPO's KL penalty is averaged over the group too).
    ///   - objective: the objective.
    ///   - promptCount: P.
    ///   - logProbs: pi's log-probs of every sequence of the pass.
    ///   - logReference: the reference model's, when GRPO has a KL penalty.
    /// - Returns: one array per sequence, one weight per response token.
    /// - Throws: `ObjectiveError` for values the surrogate refuses.
    func responseWeights(
        _ trace: TraceForTraining, weight: Double, groupSize: Int, objective: ModelObjective, promptCount: Int,
        logProbs: [[Float]], logReference: [[Float]]?
    ) throws(ObjectiveError) -> [[Double]] {
        let traceCount = trace.traceTokens.count
        let openingCount = trace.answerOpening.count
        guard objective.method == .grpo else {
            guard !answers.isEmpty else { return [Array(repeating: weight, count: traceCount)] }
            return answers.enumerated().map { index, answer in
                let prefixWeight = index == 0 ? weight : 0
                return Array(repeating: prefixWeight, count: traceCount + openingCount)
                    + Array(repeating: weight * answer.share, count: answer.tokens.count)
            }
        }
        // GRPO: weight = A_k / K; the surrogate scales it per token by the ratio and clips it (the clip depends
        // only on the advantage's sign), and its KL penalty is scaled by 1 / K as well.
        var surrogate = objective.surrogate
        surrogate.klCoefficient /= Double(max(groupSize, 1))
        let sequence = firstSequence
        // Ranges are positions within the response, which starts after the prompt.
        let scored = { (range: Range<Int>) -> [Double] in
            ScoredTokens.logProbs(logProbs[sequence], ofTokensAt: promptCount + range.lowerBound, count: range.count)
        }
        let reference = { (range: Range<Int>) -> [Double]? in
            logReference.map {
                ScoredTokens.logProbs($0[sequence], ofTokensAt: promptCount + range.lowerBound, count: range.count)
            }
        }
        let traceRange = 0..<traceCount
        var response = try surrogate.tokenWeights(
            advantage: weight, logPi: scored(traceRange), logBehaviour: trace.logQ.map(Double.init),
            logReference: reference(traceRange))
        if let answer = answers.first {
            let start = traceCount + openingCount
            let answerRange = start..<(start + answer.tokens.count)
            response += Array(repeating: 0, count: openingCount)
            response += try surrogate.tokenWeights(
                advantage: weight, logPi: scored(answerRange), logBehaviour: answer.behaviourLogProbs.map(Double.init),
                logReference: reference(answerRange))
        }
        return [response]
    }
}
