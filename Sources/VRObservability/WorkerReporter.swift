// Turns a worker's events into log records and metrics.

import Foundation
import Logging
import VRCore
import VRWorker

/// Logs worker events, as `name key=value ...` text or as JSON lines with an `event` field, and keeps the
/// Prometheus metrics current.
public struct WorkerReporter: Sendable {
    /// Where records go.
    public let logger: Logger
    /// JSON lines instead of text.
    public let json: Bool
    /// The metrics and health the status server exposes.
    public let telemetry: WorkerTelemetry

    /// A reporter.
    /// - Parameters:
    ///   - logger: where records go.
    ///   - json: JSON lines instead of text.
    ///   - telemetry: the metrics and health to keep current.
    public init(logger: Logger, json: Bool, telemetry: WorkerTelemetry) {
        self.logger = logger
        self.json = json
        self.telemetry = telemetry
    }

    /// Logs one event and updates the metrics.
    /// - Parameter event: what happened.
    public func report(_ event: WorkerEvent) {
        telemetry.record(event)
        let (name, fields): (String, [String: String]) =
            switch event {
            case .welcomed(let learner, let version): ("welcomed", ["learner": learner, "version": "\(version)"])
            case .received(let version): ("received", ["version": "\(version)"])
            case .applied(let version, let viaSnapshot):
                ("applied", ["version": "\(version)", "via": viaSnapshot ? "snapshot" : "broadcast"])
            case .assigned(let assignment, let questions):
                ("assigned", ["assignment": "\(assignment)", "questions": "\(questions)"])
            case .batchSent(let sequence, let assignment, let questions, let traces, let seconds):
                (
                    "batch",
                    [
                        "sequence": "\(sequence)", "assignment": "\(assignment)", "questions": "\(questions)",
                        "traces": "\(traces)", "seconds": decimal(seconds, 3),
                    ]
                )
            case .batchAcknowledged(let sequence, let status, let detail):
                (
                    "ack",
                    ["sequence": "\(sequence)", "status": status].merging(detail.isEmpty ? [:] : ["detail": detail]) {
                        $1
                    }
                )
            case .refused(let reason): ("refused", ["reason": reason])
            case .dropped(let assignment): ("dropped", ["assignment": "\(assignment)"])
            case .rejoining(let reason): ("rejoining", ["reason": reason])
            }
        var metadata = fields.mapValues { Logger.MetadataValue.string($0) }
        if json { metadata["event"] = .string(name) }
        logger.info("\(name)", metadata: metadata)
    }
}
