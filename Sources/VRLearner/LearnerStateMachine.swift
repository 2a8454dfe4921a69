// The learner's decisions as a pure value: events in, actions out; no clock, socket or model inside.

import VRCore
import VRWire

/// Hands out work by credit, judges batches (fresh, duplicate, stale, foreign, impossible versions), counts
/// versions and publishes, and takes work back from workers that go silent or miss an assignment's deadline.
///
/// An assignment may come back over several batches, in any order: it stays outstanding until every one of
/// its questions has been returned once.
///
/// Time is passed in as the duration since the learner started, so tests drive it event by event.
public struct LearnerStateMachine: Sendable {
    /// What happened to batches and workers so far.
    public struct Counters: Sendable, Equatable {
        /// Batches handed to training.
        public var trainedBatches = 0
        /// Batches dropped as duplicates.
        public var duplicateBatches = 0
        /// Batches dropped for exceeding `maxBatchLag`.
        public var staleBatches = 0
        /// Batches refused (unknown worker or assignment, impossible version, expired assignment).
        public var rejectedBatches = 0
        /// Workers declared lost.
        public var lostWorkers = 0
        /// Assignments taken back at their deadline.
        public var expiredAssignments = 0
    }

    /// An assignment handed out and not yet returned in full.
    private struct OutstandingAssignment: Sendable {
        var assignment: Assignment
        var assignedAt: Duration
        /// The questions not returned yet.
        var pendingQuestionIDs: Set<String>

        /// The assignment narrowed to its pending questions, in their original order.
        var pending: Assignment {
            Assignment(
                id: assignment.id, questionIDs: assignment.questionIDs.filter(pendingQuestionIDs.contains),
                phase: assignment.phase, parameterVersion: assignment.parameterVersion)
        }
    }

    private struct WorkerRecord: Sendable {
        var lastHeard: Duration
        var outstanding: [UInt64: OutstandingAssignment] = [:]
        /// The most recent assignments taken back at their deadline, so a late batch hears why it is refused.
        var expired: [UInt64] = []
        /// Every sequence number up to this one has been received (workers count from 1).
        var sequenceFloor: UInt64 = 0
        /// Received sequence numbers above the floor; stays small because workers number batches densely.
        var seenAboveFloor: Set<UInt64> = []

        func hasSeen(_ sequence: UInt64) -> Bool { sequence <= sequenceFloor || seenAboveFloor.contains(sequence) }

        mutating func markSeen(_ sequence: UInt64) {
            seenAboveFloor.insert(sequence)
            while seenAboveFloor.remove(sequenceFloor + 1) != nil { sequenceFloor += 1 }
        }
    }

    /// A training learner's backlog, which paces the hand-out: a learner slower than its workers is sent no
    /// more work than it trains while the parameters that sampled it are fresh.
    public struct Backlog: Sendable, Equatable {
        /// The questions one optimizer step trains.
        public var questionsPerStep: Int
        /// The questions accepted and waiting for a step.
        public var waitingQuestionCount: Int

        /// Creates a backlog.
        public init(questionsPerStep: Int, waitingQuestionCount: Int) {
            self.questionsPerStep = questionsPerStep
            self.waitingQuestionCount = waitingQuestionCount
        }

        /// How many questions may be out at workers or waiting: `maxOutstandingLag + 1` steps' worth, and at least
        /// two, so that a step's worth of one phase is never held up by questions of the other.
        func limit(_ policy: LearnerPolicy) -> Int { questionsPerStep * max(Int(policy.maxOutstandingLag) + 1, 2) }
    }

    /// The rules.
    public let policy: LearnerPolicy
    /// The current parameter version (incremented by every finished optimizer step).
    public private(set) var parameterVersion: UInt64
    /// Batch and worker counters.
    public private(set) var counters = Counters()
    private var queue: [(questionID: String, phase: RolloutPhase)] = []
    private var workers: [String: WorkerRecord] = [:]
    private var nextAssignmentID: UInt64 = 1
    private var stepsSincePublish = 0
    /// How long the most recent assignments took from hand-out to their last question, oldest first.
    private var recentRolloutDurations: [Duration] = []

    /// Completed assignments the derived deadline looks back over.
    static let rolloutDurationWindow = 32
    /// Expired assignment ids remembered per worker.
    static let expiredMemory = 64
    /// The derived deadline is this many times the slowest recent assignment.
    static let deadlineFactor = 4

    /// Creates a state machine.
    /// - Parameters:
    ///   - policy: the rules (validated).
    ///   - parameterVersion: the version to start from (a resumed run continues its count).
    /// - Throws: `LearnerError.invalidPolicy` for an invalid policy.
    public init(policy: LearnerPolicy, parameterVersion: UInt64 = 0) throws(LearnerError) {
        try policy.validate()
        self.policy = policy
        self.parameterVersion = parameterVersion
    }

    /// Questions waiting to be handed out.
    public var queuedQuestionCount: Int { queue.count }

    /// Workers currently known.
    public var workerCount: Int { workers.count }

    /// Whether `worker` said hello and has not been lost since.
    /// - Parameter worker: its identity.
    /// - Returns: true for a known worker.
    public func knows(_ worker: String) -> Bool { workers[worker] != nil }

    /// Adds questions to hand out, in order, for one phase.
    /// - Parameters:
    ///   - questionIDs: the questions.
    ///   - phase: the phase they are sampled in.
    public mutating func enqueue(_ questionIDs: [String], phase: RolloutPhase) {
        queue += questionIDs.map { ($0, phase) }
    }

    /// A worker said hello (first time, or again after its session broke).
    ///
    /// A worker says hello again only when it gave up on its session, so the assignments it still held go back to
    /// the queue; its batch numbering continues, so duplicate detection carries over.
    /// - Parameters:
    ///   - worker: its identity.
    ///   - now: time since the learner started.
    /// - Returns: the welcome, which carries a full snapshot.
    public mutating func workerJoined(_ worker: String, at now: Duration) -> [LearnerAction] {
        var record = workers[worker] ?? WorkerRecord(lastHeard: now)
        record.lastHeard = now
        requeue(record.outstanding.values.map(\.pending))
        record.outstanding = [:]
        workers[worker] = record
        return [.welcome(worker: worker, parameterVersion: parameterVersion)]
    }

    /// A worker said goodbye: it is forgotten and its outstanding questions return to the queue.
    /// - Parameter worker: its identity.
    /// - Returns: `.workerLost` when the worker was known, else nothing.
    public mutating func workerLeft(_ worker: String) -> [LearnerAction] {
        guard let record = workers.removeValue(forKey: worker) else { return [] }
        let count = requeue(record.outstanding.values.map(\.pending))
        counters.lostWorkers += 1
        return [.workerLost(worker: worker, requeuedQuestionCount: count)]
    }

    /// The assignment `id` if `worker` holds it, so the service can check a batch's content against it.
    /// - Parameters:
    ///   - worker: the worker.
    ///   - id: the assignment id.
    /// - Returns: the assignment, or nil.
    /// - Returns: the assignment narrowed to the questions not returned yet, or nil.
    public func outstandingAssignment(of worker: String, id: UInt64) -> Assignment? {
        workers[worker]?.outstanding[id]?.pending
    }

    /// How long an assignment may stay out: the policy's fixed deadline, or else `deadlineFactor` times the
    /// slowest of the last `rolloutDurationWindow` assignments returned in full, and at least twice the worker
    /// timeout, so that a worker gone silent is reported lost (the more precise diagnosis) before its
    /// assignments expire; nil until an assignment has been returned, since nothing is known of rollout times
    /// before.
    public var assignmentDeadline: Duration? {
        if let fixed = policy.assignmentDeadline { return fixed }
        guard let slowest = recentRolloutDurations.max() else { return nil }
        return max(policy.workerTimeout * 2, slowest * Self.deadlineFactor)
    }

    /// Any sign of life from a worker (heartbeat or other traffic).
    /// - Parameters:
    ///   - worker: its identity.
    ///   - now: time since the learner started.
    public mutating func heard(from worker: String, at now: Duration) {
        workers[worker]?.lastHeard = now
    }

    /// A worker asks for up to `credits` assignments.
    ///
    /// Work is handed out only while the oldest outstanding assignment lags by at most `maxOutstandingLag`
    /// versions, each worker holds at most `maxAssignmentsPerWorker` assignments, and, for a training learner,
    /// while the questions out at workers and waiting for a step number fewer than `maxOutstandingLag + 1` steps'
    /// worth (at least two).
    /// - Parameters:
    ///   - worker: its identity (unknown workers get nothing until they say hello).
    ///   - credits: how many assignments it can take.
    ///   - backlog: a training learner's backlog; nil when nothing trains (the collection mode of
    ///     `vr build-data`), which paces by lag alone.
    ///   - now: time since the learner started.
    /// - Returns: one `.assign` per assignment handed out (possibly none).
    public mutating func workRequested(
        by worker: String, credits: Int, backlog: Backlog? = nil, at now: Duration
    ) -> [LearnerAction] {
        guard var record = workers[worker] else { return [] }
        record.lastHeard = now
        defer { workers[worker] = record }
        if let oldest = oldestOutstandingVersion, parameterVersion - oldest > policy.maxOutstandingLag { return [] }
        var actions: [LearnerAction] = []
        let room = min(credits, policy.maxAssignmentsPerWorker - record.outstanding.count)
        var inFlight = outstandingQuestionCount + (backlog?.waitingQuestionCount ?? 0)
        let inFlightLimit = backlog?.limit(policy) ?? .max
        for _ in 0..<max(room, 0) where inFlight < inFlightLimit {
            guard let phase = queue.first?.phase else { break }
            // One assignment holds questions of a single phase.
            let count = min(policy.questionsPerAssignment, queue.prefix { $0.phase == phase }.count)
            let assignment = Assignment(
                id: nextAssignmentID, questionIDs: queue.prefix(count).map(\.questionID), phase: phase,
                parameterVersion: parameterVersion)
            queue.removeFirst(count)
            inFlight += count
            nextAssignmentID += 1
            record.outstanding[assignment.id] = OutstandingAssignment(
                assignment: assignment, assignedAt: now, pendingQuestionIDs: Set(assignment.questionIDs))
            actions.append(.assign(worker: worker, assignment))
        }
        return actions
    }

    /// A batch arrived; decide whether it trains.
    ///
    /// The batch may return all of its assignment's pending questions or some of them; the assignment stays out
    /// until the last one is in.
    /// - Parameters:
    ///   - receipt: who sent it, its sequence, assignment, questions and versions.
    ///   - now: time since the learner started.
    /// - Returns: exactly one of `.train`, `.dropDuplicate`, `.dropStale` or `.reject`.
    public mutating func batchArrived(_ receipt: BatchReceipt, at now: Duration) -> [LearnerAction] {
        guard var record = workers[receipt.worker] else { return refuse(receipt, .unknownWorker) }
        record.lastHeard = now
        defer { workers[receipt.worker] = record }
        if record.hasSeen(receipt.sequence) {
            counters.duplicateBatches += 1
            return [.dropDuplicate(receipt)]
        }
        if let problem = versionProblem(receipt) { return refuse(receipt, .versionOutOfRange(problem)) }
        guard var outstanding = record.outstanding[receipt.assignmentID] else {
            if record.expired.contains(receipt.assignmentID) {
                record.markSeen(receipt.sequence)
                return refuse(receipt, .assignmentExpired)
            }
            return refuse(
                receipt, .notOutstanding("assignment \(receipt.assignmentID) is not outstanding for this worker"))
        }
        if let returned = receipt.questionIDs.first(where: { !outstanding.pendingQuestionIDs.contains($0) }) {
            let state = outstanding.assignment.questionIDs.contains(returned) ? "was already returned" : "is not in it"
            return refuse(
                receipt, .notOutstanding("question \"\(returned)\" of assignment \(receipt.assignmentID) \(state)"))
        }
        record.markSeen(receipt.sequence)
        outstanding.pendingQuestionIDs.subtract(receipt.questionIDs)
        if outstanding.pendingQuestionIDs.isEmpty {
            record.outstanding[receipt.assignmentID] = nil
            recentRolloutDurations.append(now - outstanding.assignedAt)
            if recentRolloutDurations.count > Self.rolloutDurationWindow { recentRolloutDurations.removeFirst() }
        } else {
            record.outstanding[receipt.assignmentID] = outstanding
        }
        let lag = parameterVersion - receipt.samplingVersion
        if lag > policy.maxBatchLag {
            counters.staleBatches += 1
            requeue(receipt.questionIDs, phase: outstanding.assignment.phase)
            return [.dropStale(receipt, lag: lag)]
        }
        counters.trainedBatches += 1
        return [.train(receipt, lag: lag)]
    }

    /// Why the batch's versions cannot have come from this learner's parameters, or nil when they can.
    private func versionProblem(_ receipt: BatchReceipt) -> String? {
        if receipt.samplingVersion > parameterVersion {
            return "sampling_parameter_version \(receipt.samplingVersion) is ahead of the learner's \(parameterVersion)"
        }
        if receipt.scoringVersion > parameterVersion {
            return "scoring_parameter_version \(receipt.scoringVersion) is ahead of the learner's \(parameterVersion)"
        }
        if receipt.scoringVersion < receipt.samplingVersion {
            return "scoring_parameter_version \(receipt.scoringVersion) is older than sampling_parameter_version "
                + "\(receipt.samplingVersion): answers are scored after their traces are sampled"
        }
        return nil
    }

    private mutating func refuse(_ receipt: BatchReceipt, _ refusal: BatchRefusal) -> [LearnerAction] {
        counters.rejectedBatches += 1
        return [.reject(receipt, refusal)]
    }

    /// An optimizer step finished: the version advances, and parameters are published when due.
    /// - Returns: `.publish` every `publishEvery` steps, else nothing.
    public mutating func stepFinished() -> [LearnerAction] {
        parameterVersion += 1
        stepsSincePublish += 1
        guard stepsSincePublish >= policy.publishEvery else { return [] }
        stepsSincePublish = 0
        return [.publish(parameterVersion: parameterVersion)]
    }

    /// Time passed: workers silent for longer than `workerTimeout` are lost, assignments out for longer than
    /// `assignmentDeadline` are taken back, and the questions of both are queued again.
    /// - Parameter now: time since the learner started.
    /// - Returns: one `.workerLost` per lost worker, then one `.expire` per expired assignment.
    public mutating func tick(at now: Duration) -> [LearnerAction] {
        let lost = workers.filter { now - $0.value.lastHeard > policy.workerTimeout }.keys.sorted()
        var actions = lost.flatMap { workerLeft($0) }
        guard let deadline = assignmentDeadline else { return actions }
        for worker in workers.keys.sorted() {
            guard var record = workers[worker] else { continue }
            let overdue = record.outstanding.values.filter { now - $0.assignedAt > deadline }.map(\.pending)
            guard !overdue.isEmpty else { continue }
            for assignment in overdue.sorted(by: { $0.id < $1.id }) {
                record.outstanding[assignment.id] = nil
                record.expired.append(assignment.id)
                counters.expiredAssignments += 1
                actions.append(
                    .expire(
                        worker: worker, assignmentID: assignment.id,
                        requeuedQuestionCount: assignment.questionIDs.count))
            }
            record.expired.removeFirst(max(0, record.expired.count - Self.expiredMemory))
            workers[worker] = record
            requeue(overdue)
        }
        return actions
    }

    /// Puts the pending questions of `assignments` back at the front of the queue, oldest assignment first.
    /// - Returns: the number of questions requeued.
    @discardableResult
    private mutating func requeue(_ assignments: some Collection<Assignment>) -> Int {
        let questions = assignments.sorted { $0.id < $1.id }.flatMap { assignment in
            assignment.questionIDs.map { ($0, assignment.phase) }
        }
        queue.insert(contentsOf: questions, at: 0)
        return questions.count
    }

    /// Puts `questionIDs` of one phase back at the front of the queue.
    private mutating func requeue(_ questionIDs: [String], phase: RolloutPhase) {
        queue.insert(contentsOf: questionIDs.map { ($0, phase) }, at: 0)
    }

    /// The questions handed out and not returned yet.
    private var outstandingQuestionCount: Int {
        workers.values.reduce(0) { $0 + $1.outstanding.values.reduce(0) { $0 + $1.pendingQuestionIDs.count } }
    }

    /// The version of the oldest assignment still out, if any.
    private var oldestOutstandingVersion: UInt64? {
        workers.values.flatMap { $0.outstanding.values.map(\.assignment.parameterVersion) }.min()
    }
}
