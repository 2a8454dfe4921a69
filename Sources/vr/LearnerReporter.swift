// Turns the learner's events into progress lines.

import Foundation
import VRLearner

/// Prints learner events: a line per step (text or JSON) and notable moments.
struct LearnerReporter: Sendable {
    /// Steps as JSON lines instead of text.
    let json: Bool

    /// Prints one event.
    /// - Parameter event: what happened.
    func report(_ event: LearnerServiceEvent) {
        switch event {
        case .step(let metrics):
            if json {
                printProgress(jsonLine(metrics))
                return
            }
            let bound = metrics.bound.map { decimal($0, 3) } ?? "n/a"
            let ess = metrics.effectiveSampleSize.map { decimal($0, 2) } ?? "n/a"
            printProgress(
                "step \(metrics.step) \(metrics.phase) v\(metrics.parameterVersion) loss \(decimal(metrics.loss, 4)) "
                    + "acc \(decimal(metrics.meanAccuracy, 3)) bound \(bound) ess \(ess) lag \(decimal(metrics.meanLag, 1)) "
                    + "rollouts/s \(decimal(metrics.rolloutsPerSecond, 1)) t \(decimal(metrics.elapsedSeconds, 0))s")
        case .workerJoined(let worker):
            printProgress("worker \(worker) joined")
        case .workerLost(let worker, let count):
            printProgress("worker \(worker) lost; \(count) questions handed out again")
        case .published(let version, let byteCount, let seconds):
            guard json else { return }
            printProgress(
                jsonLine([
                    "event": "published", "version": "\(version)", "bytes": "\(byteCount)",
                    "seconds": decimal(seconds, 6), "time": decimal(Date().timeIntervalSince1970, 6),
                ]))
        case .snapshotSent:
            return
        case .refused(let worker, let reason):
            printProgress("refused \(worker): \(reason)")
        case .dropped(let worker, let sequence, let reason):
            printProgress("dropped batch \(sequence) of \(worker): \(reason)")
        case .stepFailed(let reason):
            printProgress("step failed: \(reason)")
        case .collected(let count, let total):
            // About twenty lines over a whole collection.
            guard count == total || count % max(1, total / 20) == 0 else { return }
            printProgress("collected \(count)/\(total) questions")
        case .checkpointWritten(let path):
            printProgress("checkpoint written to \(path)")
        }
    }
}
