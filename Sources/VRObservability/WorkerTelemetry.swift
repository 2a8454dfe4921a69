// A worker's Prometheus metrics and health, kept current from its events.

import Prometheus
import VRWorker

/// Turns worker events into Prometheus metrics (`vr_worker_*`) and the `/health` state.
public final class WorkerTelemetry: Sendable {
    /// The metrics `/metrics` exposes.
    public let registry = PrometheusCollectorRegistry()
    /// The state `/health` reports.
    public let health = HealthState(role: "worker")

    private let parameterVersion: Gauge
    private let batches: Counter
    private let traces: Counter
    private let batchSeconds: ValueHistogram
    private let rejoins: Counter
    private let refusals: Counter
    private let droppedAssignments: Counter

    /// Creates the metrics.
    public init() {
        parameterVersion = registry.makeGauge(
            descriptor: .vr("worker", "parameter_version", help: "The parameter version the worker samples with."))
        batches = registry.makeCounter(
            descriptor: .vr("worker", "batches", unit: "total", help: "Rollout batches sent."))
        traces = registry.makeCounter(
            descriptor: .vr("worker", "traces", unit: "total", help: "Traces sampled and sent."))
        batchSeconds = registry.makeValueHistogram(
            descriptor: .vr("worker", "batch_seconds", help: "Seconds to sample and score one assignment."),
            buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120])
        rejoins = registry.makeCounter(
            descriptor: .vr(
                "worker", "rejoins", unit: "total", help: "Times the worker lost the learner and said hello again."))
        refusals = registry.makeCounter(
            descriptor: .vr("worker", "refusals", unit: "total", help: "Messages the learner refused."))
        droppedAssignments = registry.makeCounter(
            descriptor: .vr(
                "worker", "dropped_assignments", unit: "total",
                help: "Assignments dropped unsent because they passed their deadline while being sampled."))
    }

    /// Marks the worker as running (connected or still looking for the learner: `/health` says which).
    public func serving() {
        health.update { $0.status = .ok }
    }

    /// Updates the metrics with one event.
    /// - Parameter event: what the worker service reported.
    public func record(_ event: WorkerEvent) {
        switch event {
        case .welcomed:
            health.update { $0.connected = true }
        case .applied(let version, _):
            parameterVersion.set(Int64(version))
            health.update { $0.parameterVersion = version }
        case .batchSent(_, _, _, let traceCount, let seconds):
            batches.increment()
            traces.increment(by: Int64(traceCount))
            batchSeconds.record(seconds)
        case .batchAcknowledged(_, let status, _):
            registry.makeCounter(
                descriptor: .vr(
                    "worker", "acknowledged_batches", unit: "total",
                    help: "Batches the learner answered, by status (accepted, duplicate, stale, expired)."),
                labels: [("status", status)]
            ).increment()
        case .refused:
            refusals.increment()
        case .dropped:
            droppedAssignments.increment()
        case .rejoining:
            rejoins.increment()
            health.update { $0.connected = false }
        case .received, .assigned:
            break
        }
    }
}
