// W -> L: sampled and scored traces of assigned questions (rollout.proto `RolloutBatch`).

/// A batch of rollouts, identified by (``workerID``, ``batchSequence``); repeats are duplicates.
public struct RolloutBatch: Sendable, Equatable {
    /// The worker that sampled the batch; the decoder checks it equals the envelope's sender id.
    public var workerID: String
    /// Per-worker sequence number, starting at 1 and increasing by 1 per batch.
    public var batchSequence: UInt64
    /// The ``WorkAssignment/assignmentID`` the questions came from.
    public var assignmentID: UInt64
    /// The parameter version the traces were sampled with (the behaviour log-probs refer to it).
    public var samplingParameterVersion: UInt64
    /// The parameter version the answers were scored with.
    public var scoringParameterVersion: UInt64
    /// The questions, with distinct ids, each with all of its traces.
    public var questions: [QuestionRollout]

    /// Creates a batch.
    /// - Parameters:
    ///   - workerID: the worker that sampled the batch.
    ///   - batchSequence: per-worker sequence number, starting at 1.
    ///   - assignmentID: the assignment the questions came from.
    ///   - samplingParameterVersion: the version the traces were sampled with.
    ///   - scoringParameterVersion: the version the answers were scored with.
    ///   - questions: the questions with their traces.
    public init(
        workerID: String, batchSequence: UInt64, assignmentID: UInt64, samplingParameterVersion: UInt64,
        scoringParameterVersion: UInt64, questions: [QuestionRollout]
    ) {
        self.workerID = workerID
        self.batchSequence = batchSequence
        self.assignmentID = assignmentID
        self.samplingParameterVersion = samplingParameterVersion
        self.scoringParameterVersion = scoringParameterVersion
        self.questions = questions
    }

    /// Traces over all questions.
    public var traceCount: Int { questions.reduce(0) { $0 + $1.traces.count } }

    /// Staleness of the batch: the learner's version minus the sampling version.
    ///
    /// Negative when a peer claims a version the learner has not published, which the learner should
    /// treat as invalid. Saturates at the bounds of `Int64`.
    /// - Parameter learnerParameterVersion: the learner's current parameter version.
    /// - Returns: `learnerParameterVersion - samplingParameterVersion`.
    public func lag(learnerParameterVersion: UInt64) -> Int64 {
        if learnerParameterVersion >= samplingParameterVersion {
            return Int64(clamping: learnerParameterVersion - samplingParameterVersion)
        }
        return -Int64(clamping: samplingParameterVersion - learnerParameterVersion)
    }
}

// MARK: - Wire conversion

extension RolloutBatch {
    init(wire: Vr_V1_RolloutBatch, validator: WireValidator) throws(WireError) {
        let limits = validator.limits
        let workerID = try validator.identifier(wire.workerID, "RolloutBatch.worker_id")
        _ = try validator.count(
            wire.questions.count, "RolloutBatch.questions count", in: 1...limits.maxQuestionsPerBatch)
        let traceCount = wire.questions.reduce(0) { $0 + $1.traces.count }
        _ = try validator.count(traceCount, "RolloutBatch trace count", in: 1...limits.maxTracesPerBatch)
        var questions: [QuestionRollout] = []
        questions.reserveCapacity(wire.questions.count)
        var seen: Set<String> = []
        for (index, question) in wire.questions.enumerated() {
            let rollout = try QuestionRollout(wire: question, index: index, validator: validator)
            guard seen.insert(rollout.questionID).inserted else {
                throw WireError(
                    .inconsistentBatch, "question \(index): question id \"\(rollout.questionID)\" is repeated")
            }
            questions.append(rollout)
        }
        self.init(
            workerID: workerID,
            batchSequence: try validator.nonZero(wire.batchSequence, "RolloutBatch.batch_sequence"),
            assignmentID: try validator.nonZero(wire.assignmentID, "RolloutBatch.assignment_id"),
            samplingParameterVersion: wire.samplingParameterVersion,
            scoringParameterVersion: wire.scoringParameterVersion, questions: questions)
    }

    var wire: Vr_V1_RolloutBatch {
        var wire = Vr_V1_RolloutBatch()
        wire.workerID = workerID
        wire.batchSequence = batchSequence
        wire.assignmentID = assignmentID
        wire.samplingParameterVersion = samplingParameterVersion
        wire.scoringParameterVersion = scoringParameterVersion
        wire.questions = questions.map(\.wire)
        return wire
    }
}
