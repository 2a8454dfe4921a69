// What the learner service reports while it runs, for logs, tests and benchmarks.

import VRRecords
import VRWire

/// A notable moment of a learner run.
public enum LearnerServiceEvent: Sendable, Equatable {
    /// A worker was welcomed.
    case workerJoined(worker: String)
    /// A worker went silent or said goodbye; its questions were queued again.
    case workerLost(worker: String, requeuedQuestionCount: Int)
    /// An assignment passed its deadline; its questions not yet returned were queued again.
    case assignmentExpired(worker: String, assignmentID: UInt64, requeuedQuestionCount: Int)
    /// An optimizer step finished.
    case step(StepMetrics)
    /// Parameters of this version were broadcast.
    case published(parameterVersion: UInt64, byteCount: Int, seconds: Double)
    /// A full snapshot was sent to one worker on request.
    case snapshotSent(worker: String, parameterVersion: UInt64)
    /// A message was refused with an error reply; `code` is the reply's code label (`ErrorReply.Code.label`),
    /// `message` the refused message's name (`WireMessage.name`), or "unparsed" when its envelope did not parse.
    case refused(worker: String, code: String, message: String, reason: String)
    /// A worker reported an error of its own (never answered).
    case workerReported(worker: String, reason: String)
    /// A batch was dropped as a duplicate or stale; `detail` is the acknowledgement's, naming the field.
    case dropped(worker: String, sequence: UInt64, status: BatchAck.Status, detail: String)
    /// A step failed on its inputs; its questions are lost, the run goes on.
    case stepFailed(reason: String)
    /// In collection mode, the rollouts of this many questions are in.
    case collected(questionCount: Int, of: Int)
    /// A checkpoint was written.
    case checkpointWritten(path: String)
}

/// What a learner run did.
public struct LearnerSummary: Sendable, Equatable {
    /// The final parameter version.
    public var parameterVersion: UInt64
    /// Model-phase steps taken in total.
    public var modelSteps: Int
    /// Posterior-phase steps taken in total.
    public var posteriorSteps: Int
    /// Batch and worker counters.
    public var counters: LearnerStateMachine.Counters
    /// Messages refused so far, by the code label of the error reply (`ErrorReply.Code.label`).
    public var rejections: [String: Int]
    /// Steps skipped with the parameters left unchanged: refused on their inputs (non-finite log-probs among
    /// them) or not applied for a non-finite loss or gradient norm.
    public var skippedSteps: Int
}
