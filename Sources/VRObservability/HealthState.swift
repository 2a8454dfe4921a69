// What `/health` reports: a daemon's state, updated by its events and read by the status server.

import Foundation
import Synchronization
import VRCore

/// A daemon's health, shared between the code that runs it and the status server.
public final class HealthState: Sendable {
    /// Where a daemon is in its life.
    public enum Status: String, Sendable, Codable {
        /// Started, not yet serving (loading models, waiting for the learner).
        case starting
        /// Serving.
        case ok
        /// Shutting down after a stop signal; `/health` answers 503 so that load balancers stop sending work.
        case stopping
    }

    /// The body of a `/health` answer.
    public struct Report: Sendable, Codable, Equatable {
        /// `learner` or `worker`.
        public var role: String
        /// Where the daemon is in its life.
        public var status: Status
        /// The parameter version in use.
        public var parameterVersion: UInt64
        /// Seconds since the daemon started.
        public var uptimeSeconds: Double
        /// The workers the learner currently knows; nil for a worker.
        public var workers: Int?
        /// Whether the learner has welcomed this worker; nil for a learner.
        public var connected: Bool?
    }

    private let started = ContinuousClock.now
    private let state: Mutex<Report>

    /// Creates the state of a starting daemon.
    /// - Parameter role: `learner` or `worker`.
    public init(role: String) {
        state = Mutex(
            Report(
                role: role, status: .starting, parameterVersion: 0, uptimeSeconds: 0,
                workers: role == "learner" ? 0 : nil, connected: role == "worker" ? false : nil))
    }

    /// Changes the state.
    /// - Parameter change: edits the report.
    public func update(_ change: (inout Report) -> Void) {
        state.withLock { change(&$0) }
    }

    /// The current report.
    public var report: Report {
        var report = state.withLock { $0 }
        report.uptimeSeconds = (ContinuousClock.now - started).inSeconds
        return report
    }
}
