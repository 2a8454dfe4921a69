// Bounds a receiver enforces on untrusted input, with documented defaults.

/// Upper bounds on sizes and counts in messages from untrusted peers.
///
/// Every count a peer sends is checked against these before anything is allocated for it. The
/// defaults fit the models and tasks of this project with room to spare; a learner may tighten them.
public struct WireLimits: Sendable, Equatable {
    /// The protocol's hard cap on any frame, 16 MiB; ``maxFrameBytes`` may be lower, never higher.
    public static let frameBytesCap = 16 << 20

    /// Largest frame accepted, the envelope or a snapshot chunk's raw payload (default 16 MiB).
    public var maxFrameBytes: Int = Self.frameBytesCap {
        didSet { precondition((4...Self.frameBytesCap).contains(maxFrameBytes), "maxFrameBytes \(maxFrameBytes)") }
    }
    /// Most questions in one rollout batch (default 256).
    public var maxQuestionsPerBatch = 256
    /// Most traces for one question, M or K (default 64; the paper uses K <= 8).
    public var maxTracesPerQuestion = 64
    /// Most traces in one rollout batch, over all its questions (default 1024).
    public var maxTracesPerBatch = 1024
    /// Most tokens in one trace record, prompt, trace and answer together (default 32768).
    public var maxTokensPerTrace = 32_768
    /// Most answers sampled for one trace as Acc evidence (default 1024).
    public var maxSampledAnswers = 1024
    /// Most questions (credits) in one work request or assignment (default 1024).
    public var maxQuestionsPerRequest = 1024
    /// Longest id (sender, worker, question, learner instance) in UTF-8 bytes (default 256).
    public var maxIdentifierBytes = 256
    /// Longest free text (reasons, software version, dataset fingerprint) in UTF-8 bytes (default 4096).
    public var maxTextBytes = 4096
    /// Longest model configuration JSON in a parameter announcement, in bytes (default 1 MiB).
    public var maxConfigurationBytes = 1 << 20
    /// Largest parameter buffer a snapshot may announce, in bytes (default 4 GiB, 1 Gi float32 values).
    ///
    /// A worker should lower it to its model's size: the assembler reserves the announced size.
    public var maxParameterBytes: UInt64 = 4 << 30
    /// Largest log-prob accepted, since log-probs are <= 0 up to float32 rounding (default 1e-3 nats).
    public var logProbSlack: Float = 1e-3

    /// Creates limits with the documented defaults; change single fields afterwards.
    public init() {}
}
