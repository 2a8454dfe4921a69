// What `vr experiment` writes to RUN/results.json and `vr report` reads: every arm's runs with their scores,
// budgets, wall times and the files that hold their training curves.

/// The outcome of one experiment: the initial model's scores and every arm's runs, one per seed.
public struct ExperimentResults: Codable, Sendable, Equatable {
    /// The experiment's name, from its configuration.
    public var name: String
    /// The command line that produced the run, as typed.
    public var command: String
    /// The configuration file's copy in the run directory, relative to it (`experiment.json`).
    public var configurationFile: String
    /// Processor, cores and operating system of the machine of the invocation that wrote the results; each run
    /// names its own (`ArmRun.machine`), as a run may span machines.
    public var machine: String
    /// The task families of the test split, in the order of the report's columns.
    public var families: [String]
    /// The difficulty levels of the test split, ascending.
    public var difficulties: [Int]
    /// Samples per test question (k of Avg@k and pass@k) and their temperature.
    public var samplesPerQuestion: Int
    /// The temperature of the evaluation samples.
    public var temperature: Float
    /// The pretrained base model's own scores, asked in its chat format to end with `Answer: N` (the plain
    /// style); nil without a base model.
    public var base: ArmRun?
    /// The initial reasoning model pi0 (SFT on the reference thoughts), before any arm trains it.
    public var initial: ArmRun
    /// The trace pools the offline arms drew on, one per source and seed; nil without offline arms.
    public var pools: [PoolRun]?
    /// The arms, in the configuration's order.
    public var arms: [ArmResult]
    /// The optimizer and learning-rate schedule every arm starts from, in words; nil in older results.
    public var schedule: String?

    /// Creates results.
    public init(
        name: String, command: String, configurationFile: String, machine: String, families: [String],
        difficulties: [Int], samplesPerQuestion: Int, temperature: Float, base: ArmRun? = nil, initial: ArmRun,
        pools: [PoolRun]? = nil, arms: [ArmResult], schedule: String? = nil
    ) {
        self.name = name
        self.command = command
        self.configurationFile = configurationFile
        self.machine = machine
        self.families = families
        self.difficulties = difficulties
        self.samplesPerQuestion = samplesPerQuestion
        self.temperature = temperature
        self.base = base
        self.initial = initial
        self.pools = pools
        self.arms = arms
        self.schedule = schedule
    }
}

/// One arm of the experiment and its runs.
public struct ArmResult: Codable, Sendable, Equatable {
    /// The arm's identifier, such as `variational-acc-k4` (also its directory under `RUN/arms/`).
    public var name: String
    /// Its name in tables, such as `Variational (Acc)`.
    public var label: String
    /// The comparisons it takes part in: `main` (Table 1), `k` (traces per question), `estimator`,
    /// `selection`, `hint`.
    public var groups: [String]
    /// `sft`, `variational`, `rft` or `grpo`.
    public var method: String
    /// `online` (through the learner) or `offline` (from a trace pool, then SFT), if the arm samples traces; nil
    /// in older results, whose arms were all online.
    public var mode: String?
    /// The variational estimator (`acc`, `gml`), if any.
    public var estimator: String?
    /// The variational selection (`weighted`, `best`), if any.
    public var selection: String?
    /// K, traces per question, if the arm samples traces.
    public var traces: Int?
    /// Who sampled its traces (`hinted-posterior`, `unhinted-posterior`, `reasoning-model`), if anyone.
    public var proposal: String?
    /// What a hinted q's prompt gave away (`worked-solution`, `answer`), if the arm's traces came from it; nil in
    /// older results, which hinted with the answer.
    public var hint: String?
    /// pi's peak learning rate; nil in older results.
    public var learningRate: Float?
    /// One run per seed.
    public var runs: [ArmRun]

    /// Creates an arm's results.
    public init(
        name: String, label: String, groups: [String], method: String, mode: String? = nil,
        estimator: String? = nil, selection: String? = nil, traces: Int? = nil, proposal: String? = nil,
        hint: String? = nil, learningRate: Float? = nil, runs: [ArmRun]
    ) {
        self.name = name
        self.label = label
        self.groups = groups
        self.method = method
        self.mode = mode
        self.estimator = estimator
        self.selection = selection
        self.traces = traces
        self.proposal = proposal
        self.hint = hint
        self.learningRate = learningRate
        self.runs = runs
    }
}

/// One training run of an arm (or the initial model) with one seed.
public struct ArmRun: Codable, Sendable, Equatable {
    /// The seed of its sampling and data order.
    public var seed: UInt64
    /// Wall time of its training, in seconds (0 for the initial model).
    public var wallSeconds: Double
    /// Optimizer steps on pi.
    public var modelSteps: Int
    /// Optimizer steps on q (posterior phase), 0 when q stays fixed.
    public var posteriorSteps: Int
    /// Tokens sampled by the workers: traces of both phases and the answers that score them (for an offline arm,
    /// those of the pooled traces it drew on).
    public var sampledTokens: Int
    /// Tokens trained on: the sequences of its optimizer steps on pi and q; nil in records written before it was
    /// kept.
    public var trainedTokens: Int?
    /// Its `StepMetrics` JSON lines, relative to the run directory, if it has them.
    public var metricsFile: String?
    /// Its `QuestionWeightRecord` JSON lines, relative to the run directory, if it has them.
    public var questionsFile: String?
    /// Held-out scores of its final pi.
    public var evaluation: EvaluationReport
    /// Held-out scores of its final pi under greedy decoding (one sample at temperature 0), when the experiment
    /// asks for them.
    public var greedyEvaluation: EvaluationReport?
    /// Processor, cores and operating system of the machine it ran on (for the base model and pi0, the one that
    /// measured their scores); nil in records written before it was kept.
    public var machine: String?

    /// Creates a run's results.
    public init(
        seed: UInt64, wallSeconds: Double, modelSteps: Int, posteriorSteps: Int, sampledTokens: Int,
        metricsFile: String?, questionsFile: String?, evaluation: EvaluationReport,
        greedyEvaluation: EvaluationReport? = nil, trainedTokens: Int? = nil, machine: String? = nil
    ) {
        self.seed = seed
        self.wallSeconds = wallSeconds
        self.modelSteps = modelSteps
        self.posteriorSteps = posteriorSteps
        self.sampledTokens = sampledTokens
        self.trainedTokens = trainedTokens
        self.metricsFile = metricsFile
        self.questionsFile = questionsFile
        self.evaluation = evaluation
        self.greedyEvaluation = greedyEvaluation
        self.machine = machine
    }
}

/// One trace pool of the offline arms: who sampled it, for which seed, and what it cost.
public struct PoolRun: Codable, Sendable, Equatable {
    /// Its source: `q`, `q-answer-hint` or `pi0`.
    public var source: String
    /// The seed it was sampled with.
    public var seed: UInt64
    /// Questions in it.
    public var questions: Int
    /// Traces per question.
    public var traces: Int
    /// Tokens sampled: the traces and the answers sampled after them.
    public var sampledTokens: Int
    /// Wall time of sampling and scoring, in seconds.
    public var wallSeconds: Double
    /// The machine it was sampled on, or the machines of its parts joined by "; "; nil in records written before
    /// it was kept.
    public var machine: String?

    /// Creates a pool's record.
    public init(
        source: String, seed: UInt64, questions: Int, traces: Int, sampledTokens: Int, wallSeconds: Double,
        machine: String? = nil
    ) {
        self.source = source
        self.seed = seed
        self.questions = questions
        self.traces = traces
        self.sampledTokens = sampledTokens
        self.wallSeconds = wallSeconds
        self.machine = machine
    }
}
