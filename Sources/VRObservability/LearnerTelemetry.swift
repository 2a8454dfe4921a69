// The learner's Prometheus metrics and health, kept current from its events.

import Prometheus
import Synchronization
import VRCore
import VRLearner
import VRRecords

/// Turns learner events into Prometheus metrics (`vr_learner_*`) and the `/health` state.
public final class LearnerTelemetry: Sendable {
    /// The metrics `/metrics` exposes.
    public let registry = PrometheusCollectorRegistry()
    /// The state `/health` reports.
    public let health = HealthState(role: "learner")

    private let parameterVersion: Gauge
    private let workers: Gauge
    private let workersJoined: Counter
    private let workersLost: Counter
    private let skippedSteps: Counter
    private let loss: Gauge
    private let effectiveSampleSize: Gauge
    private let bound: Gauge
    private let meanLag: Gauge
    private let rolloutsPerSecond: Gauge
    private let trainingTokensPerSecond: Gauge
    private let publishedBytes: Counter
    private let checkpoints: Counter
    private let expiredAssignments: Counter
    private let refusedConnections: Gauge
    /// The workers currently known, for the `vr_learner_workers` gauge.
    private let workerNames = Mutex<Set<String>>([])

    /// Creates the metrics.
    public init() {
        parameterVersion = registry.makeGauge(
            descriptor: .vr("learner", "parameter_version", help: "The parameter version (one per optimizer step)."))
        workers = registry.makeGauge(
            descriptor: .vr("learner", "workers", help: "Workers currently known to the learner."))
        workersJoined = registry.makeCounter(
            descriptor: .vr("learner", "workers_joined", unit: "total", help: "Workers welcomed."))
        workersLost = registry.makeCounter(
            descriptor: .vr(
                "learner", "workers_lost", unit: "total",
                help: "Workers lost (silent or gone); their work was handed out again."))
        skippedSteps = registry.makeCounter(
            descriptor: .vr(
                "learner", "skipped_steps", unit: "total",
                help: "Steps skipped for a non-finite loss or gradient norm; parameters unchanged."))
        loss = registry.makeGauge(
            descriptor: .vr("learner", "loss", help: "The weighted loss of the last model-phase step."))
        effectiveSampleSize = registry.makeGauge(
            descriptor: .vr(
                "learner", "effective_sample_size", help: "Mean effective sample size of the last model step."))
        bound = registry.makeGauge(
            descriptor: .vr("learner", "bound", help: "Mean multi-trace bound estimate [E3] of the last model step."))
        meanLag = registry.makeGauge(
            descriptor: .vr("learner", "batch_lag", help: "Mean lag in versions of the last step."))
        rolloutsPerSecond = registry.makeGauge(
            descriptor: .vr("learner", "rollouts_per_second", help: "Traces received per second before the last step."))
        trainingTokensPerSecond = registry.makeGauge(
            descriptor: .vr(
                "learner", "training_tokens_per_second", help: "Training tokens per second of the last step."))
        publishedBytes = registry.makeCounter(
            descriptor: .vr("learner", "published_bytes", unit: "total", help: "Parameter bytes broadcast."))
        checkpoints = registry.makeCounter(
            descriptor: .vr("learner", "checkpoints", unit: "total", help: "Checkpoints written."))
        expiredAssignments = registry.makeCounter(
            descriptor: .vr(
                "learner", "expired_assignments", unit: "total",
                help: "Assignments taken back at their deadline and handed out again."))
        refusedConnections = registry.makeGauge(
            descriptor: .vr(
                "learner", "refused_connections", help: "Connections refused by CURVE/ZAP or failed handshakes."))
    }

    /// Updates the metrics with one event.
    /// - Parameter event: what the learner service reported.
    public func record(_ event: LearnerServiceEvent) {
        switch event {
        case .workerJoined(let worker):
            workersJoined.increment()
            let count = workerNames.withLock {
                $0.insert(worker); return $0.count
            }
            workers.set(Double(count))
            health.update { $0.workers = count }
        case .workerLost(let worker, _):
            workersLost.increment()
            let count = workerNames.withLock {
                $0.remove(worker); return $0.count
            }
            workers.set(Double(count))
            health.update { $0.workers = count }
        case .step(let metrics):
            record(metrics)
        case .published(_, let byteCount, _):
            publishedBytes.increment(by: Int64(byteCount))
        case .checkpointWritten:
            checkpoints.increment()
        case .refused(_, let code, let message, _):
            registry.makeCounter(
                descriptor: .vr(
                    "learner", "rejected_messages", unit: "total",
                    help: "Messages refused with an error reply, by reason and by the message refused."),
                labels: [("reason", code), ("message", message)]
            ).increment()
        case .dropped(_, _, let status, _):
            registry.makeCounter(
                descriptor: .vr(
                    "learner", "dropped_batches", unit: "total", help: "Batches dropped, by status: duplicate or stale."
                ),
                labels: [("status", "\(status)")]
            ).increment()
        case .assignmentExpired:
            expiredAssignments.increment()
        case .snapshotSent, .workerReported, .stepFailed, .collected:
            break
        }
    }

    /// Sets the count of connections the transport refused.
    /// - Parameter count: the running total.
    public func recordRefusedConnections(_ count: Int) {
        refusedConnections.set(Double(count))
    }

    /// Marks the learner as serving.
    /// - Parameter version: the parameter version it starts from.
    public func serving(parameterVersion version: UInt64) {
        parameterVersion.set(Int64(version))
        health.update {
            $0.status = .ok
            $0.parameterVersion = version
        }
    }

    private func record(_ metrics: StepMetrics) {
        registry.makeCounter(
            descriptor: .vr("learner", "steps", unit: "total", help: "Optimizer steps taken, by phase."),
            labels: [("phase", metrics.phase.rawValue)]
        ).increment()
        if metrics.applied == false { skippedSteps.increment() }
        parameterVersion.set(Int64(metrics.parameterVersion))
        health.update { $0.parameterVersion = metrics.parameterVersion }
        if metrics.phase == .model {
            if metrics.loss.isFinite { loss.set(metrics.loss) }
            if let ess = metrics.effectiveSampleSize { effectiveSampleSize.set(ess) }
            if let value = metrics.bound { bound.set(value) }
        }
        meanLag.set(metrics.meanLag)
        rolloutsPerSecond.set(metrics.rolloutsPerSecond)
        trainingTokensPerSecond.set(metrics.tokensPerSecond)
    }
}
