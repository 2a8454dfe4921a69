// What a worker reports while it runs, for logs, tests and benchmarks.

/// A step of a worker's life.
public enum WorkerEvent: Sendable, Equatable {
    /// The learner welcomed this worker.
    case welcomed(learnerInstanceID: String, parameterVersion: UInt64)
    /// A broadcast snapshot of this version arrived complete; it is applied after the current assignment.
    case received(parameterVersion: UInt64)
    /// Parameters of this version are now in use; `viaSnapshot` when fetched on request, else from a broadcast.
    case applied(parameterVersion: UInt64, viaSnapshot: Bool)
    /// The learner handed out work; sampling starts.
    case assigned(assignmentID: UInt64, questionCount: Int)
    /// A batch was sent.
    case batchSent(sequence: UInt64, assignmentID: UInt64, questionCount: Int, traceCount: Int, seconds: Double)
    /// The learner answered a batch: `status` is the acknowledgement's (accepted, duplicate, stale) or "expired"
    /// (refused as past its assignment's deadline); `detail` says why a batch did not train, else it is empty.
    case batchAcknowledged(sequence: UInt64, status: String, detail: String)
    /// The learner refused a message.
    case refused(reason: String)
    /// The assignment passed its deadline before its batch went out, and its rollouts were dropped.
    case dropped(assignmentID: UInt64)
    /// The learner stopped answering; the worker says hello again.
    case rejoining(reason: String)
}
