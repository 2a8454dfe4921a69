// A rank's share of a step in passes of bounded size: each pass runs forward and backward on its questions and
// the gradients add up, so the activations held at once stay below the budget however large the step is.
//
// The weights [E4] and [E8] are per question and every pass uses the whole step's normaliser C * B [E10], so the
// summed gradient is the one-pass gradient up to summation order.

/// A share's questions split into passes, in order.
struct TrainingPasses {
    /// The question indices of each pass.
    let passes: [[Int]]

    /// Groups `share` into consecutive passes of at most `maxTokens` tokens; a question larger than that is a pass
    /// of its own.
    /// - Parameters:
    ///   - share: question indices into `tokenCounts`, in training order.
    ///   - tokenCounts: the tokens of each question's sequences.
    ///   - maxTokens: the budget of one pass, at least 1.
    init(share: [Int], tokenCounts: [Int], maxTokens: Int) {
        var passes: [[Int]] = []
        var current: [Int] = []
        var currentTokens = 0
        for question in share {
            let tokens = tokenCounts[question]
            if !current.isEmpty && currentTokens + tokens > maxTokens {
                passes.append(current)
                current = []
                currentTokens = 0
            }
            current.append(question)
            currentTokens += tokens
        }
        if !current.isEmpty { passes.append(current) }
        self.passes = passes
    }
}

extension ShareOutcome {
    /// Appends the outcome of the share's next pass: its questions' weights, bounds and sizes after those already
    /// held, its loss and tokens added.
    /// - Parameter pass: the pass's outcome, its indices the pass's questions.
    mutating func append(_ pass: ShareOutcome) {
        indices += pass.indices
        weights += pass.weights
        bounds += pass.bounds
        effectiveSampleSizes += pass.effectiveSampleSizes
        loss += pass.loss
        tokenCount += pass.tokenCount
    }
}
