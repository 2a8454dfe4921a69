// The learner's rules for handing out work, judging batches and noticing silent workers.

import VRCore

/// Limits that keep rollouts fresh and bounded (docs/protocol.md: staleness, credits, liveness).
public struct LearnerPolicy: Sendable, Equatable, Codable {
    /// New work is handed out only while the oldest outstanding assignment lags the learner by at most this
    /// many parameter versions (lag = learner version - version the assignment was made at).
    public var maxOutstandingLag: UInt64
    /// Batches sampled more than this many versions ago are dropped and counted.
    public var maxBatchLag: UInt64
    /// Assignments one worker may hold at once, whatever credits it asks for.
    public var maxAssignmentsPerWorker: Int
    /// Questions per assignment.
    public var questionsPerAssignment: Int
    /// Parameters are published every this many optimizer steps.
    public var publishEvery: Int
    /// A worker silent for longer than this is considered lost and its work is handed out again.
    public var workerTimeout: Duration
    /// An assignment not returned this long after it was handed out is handed to another worker.
    ///
    /// nil derives the deadline from the rollouts seen (`LearnerStateMachine.assignmentDeadline`). A heartbeat
    /// proves a worker's process lives, not that it works.
    public var assignmentDeadline: Duration?

    /// Creates a policy; the defaults suit a few workers on one machine.
    /// - Parameters:
    ///   - maxOutstandingLag: pacing bound L, in versions.
    ///   - maxBatchLag: hard bound on a batch's lag, in versions (at least `maxOutstandingLag`).
    ///   - maxAssignmentsPerWorker: outstanding assignments per worker.
    ///   - questionsPerAssignment: questions per assignment.
    ///   - publishEvery: steps between parameter publications.
    ///   - workerTimeout: silence after which a worker is lost.
    ///   - assignmentDeadline: a fixed assignment deadline, or nil to derive it from the rollouts seen.
    public init(
        maxOutstandingLag: UInt64 = 2, maxBatchLag: UInt64 = 4, maxAssignmentsPerWorker: Int = 2,
        questionsPerAssignment: Int = 4, publishEvery: Int = 1, workerTimeout: Duration = .seconds(10),
        assignmentDeadline: Duration? = nil
    ) {
        self.maxOutstandingLag = maxOutstandingLag
        self.maxBatchLag = maxBatchLag
        self.maxAssignmentsPerWorker = maxAssignmentsPerWorker
        self.questionsPerAssignment = questionsPerAssignment
        self.publishEvery = publishEvery
        self.workerTimeout = workerTimeout
        self.assignmentDeadline = assignmentDeadline
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case maxOutstandingLag, maxBatchLag, maxAssignmentsPerWorker, questionsPerAssignment, publishEvery
        case workerTimeoutMilliseconds, assignmentDeadlineMilliseconds
    }

    /// Reads a policy whose fields are all optional (missing ones keep their defaults); durations are in ms.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for an unknown key or a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            value = try container.decodeIfPresent(T.self, forKey: key) ?? value
        }
        try read(.maxOutstandingLag, &maxOutstandingLag)
        try read(.maxBatchLag, &maxBatchLag)
        try read(.maxAssignmentsPerWorker, &maxAssignmentsPerWorker)
        try read(.questionsPerAssignment, &questionsPerAssignment)
        try read(.publishEvery, &publishEvery)
        var milliseconds = Int(workerTimeout.wholeMilliseconds)
        try read(.workerTimeoutMilliseconds, &milliseconds)
        workerTimeout = .milliseconds(milliseconds)
        assignmentDeadline = try container.decodeIfPresent(Int.self, forKey: .assignmentDeadlineMilliseconds).map {
            .milliseconds($0)
        }
    }

    /// Writes the policy with durations in milliseconds.
    /// - Parameter encoder: the encoder.
    /// - Throws: the encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxOutstandingLag, forKey: .maxOutstandingLag)
        try container.encode(maxBatchLag, forKey: .maxBatchLag)
        try container.encode(maxAssignmentsPerWorker, forKey: .maxAssignmentsPerWorker)
        try container.encode(questionsPerAssignment, forKey: .questionsPerAssignment)
        try container.encode(publishEvery, forKey: .publishEvery)
        try container.encode(workerTimeout.wholeMilliseconds, forKey: .workerTimeoutMilliseconds)
        try container.encodeIfPresent(assignmentDeadline?.wholeMilliseconds, forKey: .assignmentDeadlineMilliseconds)
    }

    /// Checks the ranges.
    /// - Throws: `LearnerError.invalidPolicy` naming the first bad field.
    public func validate() throws(LearnerError) {
        guard maxBatchLag >= maxOutstandingLag else {
            throw .invalidPolicy("maxBatchLag \(maxBatchLag) must be at least maxOutstandingLag \(maxOutstandingLag)")
        }
        guard maxAssignmentsPerWorker >= 1 else {
            throw .invalidPolicy("maxAssignmentsPerWorker must be at least 1, got \(maxAssignmentsPerWorker)")
        }
        guard questionsPerAssignment >= 1 else {
            throw .invalidPolicy("questionsPerAssignment must be at least 1, got \(questionsPerAssignment)")
        }
        guard publishEvery >= 1 else { throw .invalidPolicy("publishEvery must be at least 1, got \(publishEvery)") }
        guard workerTimeout > .zero else { throw .invalidPolicy("workerTimeout must be positive") }
        if let assignmentDeadline, assignmentDeadline <= .zero {
            throw .invalidPolicy("assignmentDeadline must be positive")
        }
    }
}

/// A learner configuration or input that cannot be used.
public enum LearnerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A policy value is out of range.
    case invalidPolicy(String)

    /// A message that says what is wrong.
    public var description: String {
        switch self {
        case .invalidPolicy(let message): "invalid learner policy: \(message)"
        }
    }
}
