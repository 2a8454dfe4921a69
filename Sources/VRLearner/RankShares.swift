// How one step's questions are split over the learner's ranks, and what each rank hands back.

import Foundation

/// The questions of one step, split over the ranks by their token counts.
///
/// The largest question goes to the rank with the fewest tokens so far, so the ranks' shares of the work are close,
/// within the largest question's tokens. Every rank computes the same split.
struct RankShares {
    /// The question indices of each rank's share, in ascending order.
    let indices: [[Int]]

    /// Splits questions of `tokenCounts` over `rankCount` ranks.
    /// - Parameters:
    ///   - tokenCounts: the tokens of each question's sequences.
    ///   - rankCount: the ranks, at least 1.
    init(tokenCounts: [Int], rankCount: Int) {
        var shares = [[Int]](repeating: [], count: rankCount)
        var loads = [Int](repeating: 0, count: rankCount)
        let largestFirst = tokenCounts.indices.sorted { (tokenCounts[$0], $1) > (tokenCounts[$1], $0) }
        for question in largestFirst {
            let rank = loads.indices.min { (loads[$0], $0) < (loads[$1], $1) } ?? 0
            shares[rank].append(question)
            loads[rank] += tokenCounts[question]
        }
        indices = shares.map { $0.sorted() }
    }
}

/// What one rank's share of a step computed, sent to every rank so that all assemble the same outcome.
struct ShareOutcome: Codable, Equatable {
    /// The share's question indices in the step.
    var indices: [Int]
    /// Per question of the share, the trace weights.
    var weights: [[Double]] = []
    /// Per question of the share, the bound estimate (model phase only).
    var bounds: [Double] = []
    /// Per question of the share, the effective sample size (model phase only).
    var effectiveSampleSizes: [Double] = []
    /// The share's part of the loss.
    var loss: Double = 0
    /// The tokens of the share's sequences.
    var tokenCount = 0
    /// Why the share could not be computed, if it could not.
    var failure: String?

    /// The outcomes of all ranks, in the step's question order.
    /// - Parameters:
    ///   - shares: one outcome per rank, none failed.
    ///   - questionCount: the step's questions.
    /// - Returns: weights, bounds and effective sample sizes per question, and the loss summed in rank order.
    static func assembled(_ shares: [ShareOutcome], questionCount: Int) -> ShareOutcome {
        var whole = ShareOutcome(indices: Array(0..<questionCount))
        var weights = [[Double]](repeating: [], count: questionCount)
        var bounds = [Double?](repeating: nil, count: questionCount)
        var sizes = [Double?](repeating: nil, count: questionCount)
        for share in shares {
            whole.loss += share.loss
            whole.tokenCount += share.tokenCount
            for (position, question) in share.indices.enumerated() {
                weights[question] = share.weights[position]
                if position < share.bounds.count { bounds[question] = share.bounds[position] }
                if position < share.effectiveSampleSizes.count {
                    sizes[question] = share.effectiveSampleSizes[position]
                }
            }
        }
        whole.weights = weights
        whole.bounds = bounds.compactMap { $0 }
        whole.effectiveSampleSizes = sizes.compactMap { $0 }
        return whole
    }
}
