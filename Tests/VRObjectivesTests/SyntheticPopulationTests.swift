// A population of questions with known accuracies: the per-question total weight of each method
// ([E11], [E12]) against the variational weights' constant total ([E4]).

import Testing
import VRCore
import VRObjectives

@Suite("[E11] [E12] [E4] Synthetic population of questions")
struct SyntheticPopulationTests {
    /// K samples per question; with c correct the population accuracy is exactly P = c / K.
    static let sampleCount = 8
    static let tolerance = 1e-12

    static func verdicts(correctCount: Int) -> [Bool] {
        (0..<sampleCount).map { $0 < correctCount }
    }

    @Test("[E11] [E12] exact populations: RFT, binary RL and GRPO totals are P, P and sqrt(P/(1-P))", arguments: 1...7)
    func exactPopulation(correctCount: Int) throws {
        let correct = Self.verdicts(correctCount: correctCount)
        let accuracy = Double(correctCount) / Double(Self.sampleCount)
        let rft = try effectiveWeight(sampleWeights: rftWeights(correct: correct), correct: correct)
        let binary = try effectiveWeight(sampleWeights: binaryRewardWeights(correct: correct), correct: correct)
        let grpo = try effectiveWeight(sampleWeights: try grpoWeights(correct: correct, epsilon: 0), correct: correct)
        #expect(isClose(rft, accuracy, tolerance: Self.tolerance))
        #expect(isClose(binary, accuracy, tolerance: Self.tolerance))
        #expect(isClose(grpo, (accuracy / (1 - accuracy)).squareRoot(), tolerance: Self.tolerance))
        // With GRPO's default epsilon the total is the closed form P / (sqrt(P(1-P)) + epsilon).
        let grpoSmoothed = try effectiveWeight(sampleWeights: try grpoWeights(correct: correct), correct: correct)
        #expect(
            isClose(
                grpoSmoothed, try TrainingMethod.grpo().effectiveWeight(accuracy: accuracy), tolerance: Self.tolerance))
    }

    /// A policy over {correct, wrong} with logit theta: grad log pi is 1 - P for a correct sample and -P for a
    /// wrong one, and the posterior direction grad log pi(correct) is 1 - P. The exact gradient of each
    /// method, divided by 1 - P, is its total weight: this checks the projection behind `effectiveWeight`.
    @Test("[E11] [E12] a Bernoulli policy's exact gradients give the same totals", arguments: 1...7)
    func bernoulliPolicyGradient(correctCount: Int) throws {
        let correct = Self.verdicts(correctCount: correctCount)
        let accuracy = Double(correctCount) / Double(Self.sampleCount)
        let scores = correct.map { $0 ? 1 - accuracy : -accuracy }
        func total(_ weights: [Double]) -> Double {
            zip(weights, scores).map { $0 * $1 }.reduce(0, +) / (1 - accuracy)
        }
        #expect(
            isClose(total(rftWeights(correct: correct)), try TrainingMethod.rft.effectiveWeight(accuracy: accuracy)))
        #expect(isClose(total(binaryRewardWeights(correct: correct)), accuracy))
        #expect(isClose(total(try grpoWeights(correct: correct, epsilon: 0)), (accuracy / (1 - accuracy)).squareRoot()))
    }

    @Test("[E11] a mean baseline leaves binary RL's total at P", arguments: 1...7)
    func meanBaseline(correctCount: Int) throws {
        let correct = Self.verdicts(correctCount: correctCount)
        let accuracy = Double(correctCount) / Double(Self.sampleCount)
        let weights = correct.map { (($0 ? 1 : 0) - accuracy) / Double(Self.sampleCount) }
        #expect(isClose(try effectiveWeight(sampleWeights: weights, correct: correct), accuracy))
    }

    @Test("[E4] variational weights give every question the same total, 1, whatever its accuracy", arguments: 1...7)
    func variationalTotal(correctCount: Int) throws {
        var generator = SeededGenerator(seed: UInt64(correctCount) * 0x9E37)
        let accuracy = Double(correctCount) / Double(Self.sampleCount)
        // K traces from q with random pi/q scores; trace k verified on 8 answers, about P of them correct.
        let traces = (0..<Self.sampleCount).map { index in
            let tokenCount = Int.random(in: 1...10, using: &generator)
            let verified =
                index == 0
                ? correctCount : (0..<8).count { _ in Double.random(in: 0..<1, using: &generator) < accuracy }
            return accTrace(
                logPi: RandomEvidence.logProbs(count: tokenCount, &generator),
                logQ: RandomEvidence.logProbs(count: tokenCount, &generator), correct: verified)
        }
        let weights = try normalizedWeights(traces: traces, estimator: .accuracy)
        let usable = traces.map { if case .sampled(let verified, _) = $0.answer { verified > 0 } else { false } }
        #expect(isClose(weights.weights.reduce(0, +), 1))
        #expect(isClose(try effectiveWeight(sampleWeights: weights.weights, correct: usable), 1))
        #expect(try TrainingMethod.variational.effectiveWeight(accuracy: accuracy) == 1)
    }

    @Test("[E11] [E12] [E4] sampled population: RFT averages P, GRPO's total grows with P, variational stays 1")
    func sampledPopulation() throws {
        var generator = SeededGenerator(seed: 2025)
        let sampleCount = 16
        let questionCount = 400
        var grpoMeans: [Double] = []
        for accuracy in [0.1, 0.3, 0.5, 0.7, 0.9] {
            var rftSum = 0.0
            var grpoSum = 0.0
            for _ in 0..<questionCount {
                let correct = (0..<sampleCount).map { _ in Double.random(in: 0..<1, using: &generator) < accuracy }
                let empirical = Double(correct.count { $0 }) / Double(sampleCount)
                let rft = try effectiveWeight(sampleWeights: rftWeights(correct: correct), correct: correct)
                let grpo = try effectiveWeight(sampleWeights: try grpoWeights(correct: correct), correct: correct)
                // Per question, each total is its closed form at the question's empirical accuracy.
                #expect(isClose(rft, try TrainingMethod.rft.effectiveWeight(accuracy: empirical)))
                #expect(isClose(grpo, try TrainingMethod.grpo().effectiveWeight(accuracy: empirical)))
                // The variational weights of one trace per sample (Acc over one answer) sum to 1 or, with no
                // correct sample, are all 0: the same total for every question that has a usable trace.
                let traces = correct.map { accTrace(logPi: [-1], logQ: [-1.5], correct: $0 ? 1 : 0, total: 1) }
                let variational = try normalizedWeights(traces: traces, estimator: .accuracy)
                #expect(isClose(variational.weights.reduce(0, +), variational.diagnostics.hasUsableTrace ? 1 : 0))
                rftSum += rft
                grpoSum += grpo
            }
            // RFT's mean total is P up to sampling noise (4 standard errors).
            let standardError = (accuracy * (1 - accuracy) / Double(sampleCount * questionCount)).squareRoot()
            #expect(abs(rftSum / Double(questionCount) - accuracy) < 4 * standardError)
            grpoMeans.append(grpoSum / Double(questionCount))
        }
        #expect(zip(grpoMeans, grpoMeans.dropFirst()).allSatisfy { $0 < $1 })
    }
}
