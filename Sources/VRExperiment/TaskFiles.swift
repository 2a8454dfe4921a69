// Task files an experiment reads instead of generating its questions: one training and one held-out file per
// task family, as `scripts/export-reasoning-gym.py` writes them.

import VRCore

/// The training and held-out questions of one task family, as task JSONL files.
///
/// Relative paths are read from the directory `vr experiment` runs in. The experiment takes the first
/// `trainQuestionsPerTask` lines of `train` and the first `testQuestionsPerTask` of `test`.
public struct TaskFiles: Codable, Sendable, Equatable {
    /// The training questions.
    public var train: String
    /// The held-out questions; none of them may appear in `train`.
    public var test: String

    /// A pair of files.
    /// - Parameters:
    ///   - train: the training questions.
    ///   - test: the held-out questions.
    public init(train: String, test: String) {
        self.train = train
        self.test = test
    }

    /// Decodes a pair; both keys are required and unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        train = try container.decode(String.self, forKey: .train)
        test = try container.decode(String.self, forKey: .test)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case train, test
    }
}
