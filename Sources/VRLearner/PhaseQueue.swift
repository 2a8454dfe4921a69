// One phase's accepted questions, oldest first, waiting for the learner's next step in that phase.

/// Questions of one phase in the order their batches were accepted, each batch with its sampling version.
///
/// A step takes the oldest step's worth and leaves the rest for the next step, so a step's memory stays bounded
/// however many batches arrive while the previous step trains.
struct PhaseQueue<Question> {
    /// Each accepted batch's questions not yet trained on, with the parameter version its traces were sampled with.
    private var batches: [(questions: ArraySlice<Question>, samplingVersion: UInt64)] = []
    /// Questions waiting.
    private(set) var count = 0

    /// Queues an accepted batch's questions behind the ones already waiting.
    mutating func append(_ questions: [Question], samplingVersion: UInt64) {
        guard !questions.isEmpty else { return }
        batches.append((questions[...], samplingVersion))
        count += questions.count
    }

    /// Removes the oldest `size` questions for a step that trains parameter version `version`.
    /// - Returns: the questions and the lags of the batches they came in (`version` minus their sampling version:
    ///   the time a batch waited here counts), or nil while fewer than `size` wait.
    mutating func takeStep(of size: Int, at version: UInt64) -> (questions: [Question], lags: [UInt64])? {
        guard size > 0, count >= size else { return nil }
        var questions: [Question] = []
        var lags: [UInt64] = []
        while questions.count < size {
            let taken = batches[0].questions.prefix(size - questions.count)
            questions += taken
            lags.append(version - min(batches[0].samplingVersion, version))
            batches[0].questions.removeFirst(taken.count)
            if batches[0].questions.isEmpty { batches.removeFirst() }
        }
        count -= size
        return (questions, lags)
    }
}
