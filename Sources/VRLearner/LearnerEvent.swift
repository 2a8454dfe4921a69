// What the learner state machine is told and what it asks the service to do.

import VRCore
import VRWire

/// A piece of work: questions to sample traces for, in one phase of [E9], at one parameter version.
public struct Assignment: Sendable, Equatable {
    /// Unique per learner run.
    public let id: UInt64
    /// The questions.
    public let questionIDs: [String]
    /// Posterior phase (traces from pi, [E8]) or model phase (traces from q, [E4]).
    public let phase: RolloutPhase
    /// The learner's parameter version when the work was handed out.
    public let parameterVersion: UInt64
}

/// A worker's batch as the state machine judges it (the service has already decoded and validated it).
public struct BatchReceipt: Sendable, Equatable {
    /// The sending worker.
    public let worker: String
    /// The worker's sequence number of this batch (duplicates repeat it).
    public let sequence: UInt64
    /// The assignment the batch answers.
    public let assignmentID: UInt64
    /// The questions of the assignment the batch returns: all of them, or a part when the worker streams an
    /// assignment over several batches.
    public let questionIDs: [String]
    /// The parameter version the traces were sampled with.
    public let samplingVersion: UInt64
    /// The parameter version the answers were scored with.
    public let scoringVersion: UInt64

    /// Describes a received batch.
    /// - Parameters:
    ///   - worker: the sending worker.
    ///   - sequence: its batch sequence number.
    ///   - assignmentID: the assignment it answers.
    ///   - questionIDs: the questions it returns.
    ///   - samplingVersion: the version it was sampled with.
    ///   - scoringVersion: the version it was scored with (by default the sampling version).
    public init(
        worker: String, sequence: UInt64, assignmentID: UInt64, questionIDs: [String], samplingVersion: UInt64,
        scoringVersion: UInt64? = nil
    ) {
        self.worker = worker
        self.sequence = sequence
        self.assignmentID = assignmentID
        self.questionIDs = questionIDs
        self.samplingVersion = samplingVersion
        self.scoringVersion = scoringVersion ?? samplingVersion
    }
}

/// Why the state machine refuses a batch.
public enum BatchRefusal: Sendable, Equatable {
    /// The sender never said hello, or was declared lost.
    case unknownWorker
    /// A sampling or scoring version the learner cannot have served; the reason names the field.
    case versionOutOfRange(String)
    /// The assignment passed its deadline and was handed to another worker.
    case assignmentExpired
    /// The batch answers no outstanding assignment of this worker, or returns questions the assignment does not
    /// hold (any more).
    case notOutstanding(String)
}

/// What the service must do after an event.
public enum LearnerAction: Sendable, Equatable {
    /// Greet a new or returning worker and send it a full parameter snapshot (late joiners and reconnects).
    case welcome(worker: String, parameterVersion: UInt64)
    /// Send this assignment to the worker.
    case assign(worker: String, Assignment)
    /// Train on the batch: it is fresh, new and answers an outstanding assignment.
    case train(BatchReceipt, lag: UInt64)
    /// Acknowledge and drop a batch already received (same worker and sequence).
    case dropDuplicate(BatchReceipt)
    /// Drop a batch sampled more than `maxBatchLag` versions ago; its questions are handed out again.
    case dropStale(BatchReceipt, lag: UInt64)
    /// Refuse a batch that answers no outstanding assignment of this worker, or claims a version the learner
    /// cannot have served.
    case reject(BatchReceipt, BatchRefusal)
    /// Publish the parameters of this version to every worker.
    case publish(parameterVersion: UInt64)
    /// The worker went silent; its outstanding questions return to the queue.
    case workerLost(worker: String, requeuedQuestionCount: Int)
    /// The assignment passed its deadline: its questions not yet returned go back to the queue, and the worker is
    /// told so.
    case expire(worker: String, assignmentID: UInt64, requeuedQuestionCount: Int)
}
