// A worker's settings, with documented defaults; read from `vr worker --config` and printed at start.

import VRCore

/// Everything a rollout worker needs besides its dataset and transport.
public struct WorkerConfiguration: Codable, Sendable, Equatable {
    /// How traces are sampled and scored.
    public var rollout = RolloutOptions()
    /// The worker's seed; each assignment's seed is derived from it and the assignment id
    /// (`assignmentSeed(_:)`).
    public var seed: UInt64 = 0
    /// How long to wait for any reply of the learner before saying hello again.
    public var replyTimeoutMilliseconds = 30_000
    /// Heartbeat period until the learner's welcome says otherwise.
    public var heartbeatIntervalMilliseconds = 1_000
    /// Stop after this many batches; 0 runs until the learner goes away or the task is cancelled.
    public var maxBatches = 0
    /// Stop when the learner has not answered a hello for this long; 0 waits forever.
    public var learnerGoneMilliseconds = 0

    /// The defaults above.
    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case rollout, seed, replyTimeoutMilliseconds, heartbeatIntervalMilliseconds, maxBatches
        case learnerGoneMilliseconds
    }

    /// Reads a configuration (`vr worker --config`): missing keys take the defaults above, unknown keys are errors.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the first unknown key or mistyped value.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        rollout = try container.decode(.rollout, default: rollout)
        seed = try container.decode(.seed, default: seed)
        replyTimeoutMilliseconds = try container.decode(.replyTimeoutMilliseconds, default: replyTimeoutMilliseconds)
        heartbeatIntervalMilliseconds = try container.decode(
            .heartbeatIntervalMilliseconds, default: heartbeatIntervalMilliseconds)
        maxBatches = try container.decode(.maxBatches, default: maxBatches)
        learnerGoneMilliseconds = try container.decode(.learnerGoneMilliseconds, default: learnerGoneMilliseconds)
    }

    /// Checks the ranges.
    /// - Throws: `WorkerError.invalidConfiguration` naming the first bad field.
    public func validate() throws(WorkerError) {
        try rollout.validate()
        guard (1...3_600_000).contains(replyTimeoutMilliseconds) else {
            throw .invalidConfiguration("replyTimeoutMilliseconds \(replyTimeoutMilliseconds) not in 1...3600000")
        }
        guard (1...600_000).contains(heartbeatIntervalMilliseconds) else {
            throw .invalidConfiguration(
                "heartbeatIntervalMilliseconds \(heartbeatIntervalMilliseconds) not in 1...600000")
        }
        guard maxBatches >= 0, learnerGoneMilliseconds >= 0 else {
            throw .invalidConfiguration("maxBatches and learnerGoneMilliseconds must be non-negative")
        }
    }
}

extension WorkerConfiguration {
    /// The seed of one assignment's rollouts: a hash of the worker's seed and the assignment id, so no two
    /// assignments share a stream of random numbers.
    /// - Parameter assignmentID: the assignment's id.
    /// - Returns: the seed.
    func assignmentSeed(_ assignmentID: UInt64) -> UInt64 {
        SeededGenerator(seed: seed).seed(forStream: assignmentID)
    }
}
