// The learner's collection mode: every question handed out once in the model phase, the accepted rollouts kept
// instead of trained on (the worker pool of `vr build-data`).

import VRCore
import VRTransport
import VRWire

extension LearnerService {
    /// Hands every training question out once for K traces from q, scored by the workers, and returns the
    /// accepted rollouts instead of training on them; parameters stay at the starting version.
    ///
    /// Each batch is checked as in training (its assignment, the learner's own prompts, K traces per question);
    /// the work of a worker that is lost is handed out again, so every question is collected exactly once.
    /// - Returns: one rollout per question, in dataset order.
    /// - Throws: `LearnerServiceError.transport` if the transport closes, `.stopped` if the task is cancelled
    ///   (a stop signal) before every question is in.
    public func collectRollouts() async throws(LearnerServiceError) -> [QuestionRollout] {
        collectedRollouts = [:]
        machine.enqueue(questionIDs, phase: .model)
        let tick = Duration.milliseconds(min(200, configuration.heartbeatIntervalMilliseconds))
        var reported = 0
        while collectedCount < questionIDs.count {
            guard !Task.isCancelled else {
                throw .stopped("stopped with \(collectedCount) of \(questionIDs.count) questions collected")
            }
            let message: PeerMessage?
            do { message = try await transport.receive(within: tick) } catch {
                throw .transport(error.description)
            }
            if let message { await handle(message) }
            await housekeeping()
            if collectedCount > reported {
                reported = collectedCount
                onEvent(.collected(questionCount: reported, of: questionIDs.count))
            }
        }
        let rollouts = collectedRollouts ?? [:]
        return questionIDs.compactMap { rollouts[$0] }
    }

    /// The number of questions collected so far (0 when training).
    var collectedCount: Int { collectedRollouts?.count ?? 0 }

    /// Keeps the rollouts of an accepted batch.
    func collect(_ batch: RolloutBatch) {
        for question in batch.questions { collectedRollouts?[question.questionID] = question }
    }
}
