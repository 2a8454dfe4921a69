// Turns the learner's events into log records and metrics.

import Foundation
import Logging
import VRCore
import VRLearner
import VRRecords

/// Logs learner events (a record per step and per notable moment) and keeps the Prometheus metrics current.
///
/// Text logs read as sentences ("step 4 model v5 loss ..."); JSON logs carry the same facts as fields.
public struct LearnerReporter: Sendable {
    /// Where records go.
    public let logger: Logger
    /// JSON lines (fields) instead of sentences.
    public let json: Bool
    /// The metrics and health the status server exposes.
    public let telemetry: LearnerTelemetry

    /// A reporter.
    /// - Parameters:
    ///   - logger: where records go.
    ///   - json: JSON lines instead of text.
    ///   - telemetry: the metrics and health to keep current.
    public init(logger: Logger, json: Bool, telemetry: LearnerTelemetry) {
        self.logger = logger
        self.json = json
        self.telemetry = telemetry
    }

    /// Logs one event and updates the metrics.
    /// - Parameter event: what happened.
    public func report(_ event: LearnerServiceEvent) {
        telemetry.record(event)
        switch event {
        case .step(let metrics):
            let bound = metrics.bound.map { decimal($0, 3) } ?? "n/a"
            let ess = metrics.effectiveSampleSize.map { decimal($0, 2) } ?? "n/a"
            let skipped = metrics.applied == false ? " (skipped: non-finite loss or gradient)" : ""
            log(
                "step",
                text:
                    "step \(metrics.step) \(metrics.phase) v\(metrics.parameterVersion) loss \(decimal(metrics.loss, 4)) "
                    + "acc \(decimal(metrics.meanAccuracy, 3)) bound \(bound) ess \(ess) lag \(decimal(metrics.meanLag, 1)) "
                    + "rollouts/s \(decimal(metrics.rolloutsPerSecond, 1)) t \(decimal(metrics.elapsedSeconds, 0))s"
                    + skipped,
                fields: metrics.logFields, level: metrics.applied == false ? .warning : .info)
        case .workerJoined(let worker):
            log("worker_joined", text: "worker \(worker) joined", fields: ["worker": worker])
        case .workerLost(let worker, let count):
            log(
                "worker_lost", text: "worker \(worker) lost; \(count) questions handed out again",
                fields: ["worker": worker, "requeued_questions": "\(count)"], level: .warning)
        case .assignmentExpired(let worker, let assignmentID, let count):
            log(
                "assignment_expired",
                text:
                    "assignment \(assignmentID) of \(worker) passed its deadline; \(count) questions handed out again",
                fields: ["worker": worker, "assignment": "\(assignmentID)", "requeued_questions": "\(count)"],
                level: .warning)
        case .published(let version, let byteCount, let seconds):
            guard json else { return }
            log(
                "published", text: "",
                fields: ["version": "\(version)", "bytes": "\(byteCount)", "seconds": decimal(seconds, 6)])
        case .snapshotSent:
            return
        case .refused(let worker, let code, let message, let reason):
            log(
                "refused", text: "refused \(message) from \(worker) (\(code)): \(reason)",
                fields: ["worker": worker, "code": code, "message": message, "reason": reason], level: .warning)
        case .workerReported(let worker, let reason):
            log(
                "worker_reported", text: "worker \(worker) reported: \(reason)",
                fields: ["worker": worker, "reason": reason], level: .warning)
        case .dropped(let worker, let sequence, let status, let detail):
            log(
                "dropped", text: "dropped batch \(sequence) of \(worker) as \(status): \(detail)",
                fields: ["worker": worker, "sequence": "\(sequence)", "status": "\(status)", "detail": detail])
        case .stepFailed(let reason):
            log("step_failed", text: "step failed: \(reason)", fields: ["reason": reason], level: .warning)
        case .collected(let count, let total):
            // About twenty lines over a whole collection.
            guard count == total || count % max(1, total / 20) == 0 else { return }
            log(
                "collected", text: "collected \(count)/\(total) questions",
                fields: ["questions": "\(count)", "of": "\(total)"])
        case .checkpointWritten(let path):
            log("checkpoint", text: "checkpoint written to \(path)", fields: ["path": path])
        }
    }

    private func log(_ event: String, text: String, fields: [String: String], level: Logger.Level = .info) {
        if json {
            logger.log(
                level: level, "\(event)",
                metadata: fields.mapValues { .string($0) }.merging(["event": "\(event)"]) { $1 })
        } else {
            logger.log(level: level, "\(text)")
        }
    }
}
