// `vr learner`: the learner daemon, bound on two ZeroMQ endpoints, training pi and q from workers' rollouts.

import ArgumentParser
import Foundation
import Logging
import VRLearner
import VRModel
import VRObjectives
import VRObservability
import VRTasks
import VRText
import VRTransport
import VRWire
import VRZMQ

/// Runs the learner until the model phase has taken its steps.
struct LearnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract:
            "Run the learner daemon: hand out questions, train pi and q on workers' traces, broadcast parameters.",
        discussion: """
            Starts from SFT checkpoints of pi (--reasoning) and q (--posterior), or resumes the checkpoint in \
            RUN/checkpoint. Writes RUN/learner-config.json, one JSON line per step to RUN/metrics.jsonl, and \
            RUN/checkpoint (both models with optimizer state, replaced as a set). SIGINT or SIGTERM stops it \
            after the current step, with a final checkpoint. With --metrics-address it serves Prometheus \
            metrics on /metrics and its state on /health.
            """)

    @Option(help: "Training tasks (JSONL, as written by `vr tasks`); workers must use the same file.")
    var tasks: String

    @Option(name: .customLong("run"), help: "The run directory for metrics and checkpoints.")
    var runDirectory: String

    @Option(help: "Checkpoint directory of the initial reasoning model pi.")
    var reasoning: String?

    @Option(help: "Checkpoint directory of the initial posterior q.")
    var posterior: String?

    @Option(
        help: """
            The model (checkpoint, Hugging Face directory or .gguf file) whose tokenizer and chat format pi and q \
            use; by default --reasoning's (the built-in byte tokenizer when it is a vr checkpoint). Workers must \
            be given the same.
            """)
    var tokenizer: String?

    @Option(help: TemplateConfiguration.Hint.help)
    var hint = TemplateConfiguration.Hint.workedSolution

    @Flag(help: "Continue from RUN/checkpoint.")
    var resume = false

    @Flag(
        help: """
            Continue from RUN/checkpoint when it exists, else start from --reasoning and --posterior (for a \
            learner restarted by a supervisor).
            """)
    var resumeIfPresent = false

    @Option(help: "Where workers send requests (ROUTER bind); port * picks a free one.")
    var requestEndpoint = "tcp://127.0.0.1:5555"

    @Option(help: "Where parameters are broadcast (PUB bind); port * picks a free one.")
    var publishEndpoint = "tcp://127.0.0.1:5556"

    @Option(help: "Write the bound endpoints as JSON to this file once the models are loaded and served.")
    var endpointsFile: String?

    @Option(help: "CURVE: the learner's secret key file (`vr keys`, mode 0600); with --curve-allowed-workers.")
    var curveSecretKey: String?

    @Option(help: "CURVE: the public keys of the workers to admit, one per line; others are refused and counted.")
    var curveAllowedWorkers: String?

    @Option(help: "Serve Prometheus /metrics and /health over HTTP on HOST:PORT (port 0: any free port).")
    var metricsAddress: String?

    @Option(
        help: """
            A learner configuration (JSON; LearnerConfiguration, as the run directory's learner-config.json): \
            missing keys take their defaults, unknown keys are refused, and the options below override it.
            """)
    var config: String?

    @Option(help: "Model-phase steps to take in total (default \(LearnerConfiguration().modelSteps)).")
    var modelSteps: Int?

    @Option(help: "Questions per optimizer step (default \(LearnerConfiguration().questionsPerStep)).")
    var questionsPerStep: Int?

    @Option(help: "K: traces from q per question, model phase (default \(LearnerConfiguration().tracesPerQuestion)).")
    var traces: Int?

    @Option(
        help:
            "M: traces from pi per question, posterior phase (default \(LearnerConfiguration().priorTracesPerQuestion))."
    )
    var priorTraces: Int?

    @Option(help: "Peak learning rate of pi (default \(LearnerConfiguration().reasoningOptimizer.learningRate)).")
    var learningRate: Float?

    @Option(help: "Peak learning rate of q (default \(LearnerConfiguration().posteriorOptimizer.learningRate)).")
    var posteriorLearningRate: Float?

    @Flag(help: "Keep q fixed (no posterior phase), as the released offline code does.")
    var fixedPosterior = false

    @Option(
        help: """
            L: hand out work only while outstanding work lags by at most this many versions \
            (default \(LearnerPolicy().maxOutstandingLag)).
            """)
    var maxLag: UInt64?

    @Option(help: "Drop batches sampled more than this many versions ago (default \(LearnerPolicy().maxBatchLag)).")
    var maxBatchLag: UInt64?

    @Option(help: "Questions per assignment (default \(LearnerPolicy().questionsPerAssignment)).")
    var questionsPerAssignment: Int?

    @Option(help: "Seconds of silence after which a worker's work is handed out again (default 10).")
    var workerTimeout: Int?

    @Option(
        help: """
            Milliseconds after which an assignment not yet returned is handed to another worker (default: 4 times \
            the slowest of the last 32 assignments, at least twice the worker timeout).
            """)
    var assignmentDeadlineMs: Int?

    @Option(help: "Write a checkpoint every this many steps (default 0: only at the end).")
    var checkpointEvery: Int?

    @Option(
        help: """
            Under mpirun or srun: the ranks compare their parameters every this many steps and stop the run when \
            they differ (default \(LearnerConfiguration().rankCheckEvery); 0: only at start).
            """)
    var rankCheckEvery: Int?

    @Option(
        help: """
            Forward and backward take a step's sequences in passes of at most this many tokens, which bounds the \
            activation memory; the step is the same (default \(LearnerConfiguration().maxTokensPerPass)).
            """)
    var maxTokensPerPass: Int?

    @Option(help: "Seed of the question order (default 0).")
    var seed: UInt64?

    @Option(
        help: """
            How parameters travel to workers: float32 (exact, the default) or bfloat16 (half the bytes; workers \
            sample with parameters rounded to 8 significant bits, the learner trains in float32).
            """)
    var broadcastPrecision: ParameterEncoding?

    @Option(help: "Model-phase weighting: variational ([E4], the default), rft ([E11]) or grpo ([E12]).")
    var method: ModelObjective.Method?

    @Option(
        help:
            "Variational estimator of pi(Y|x,z): acc (workers' sampled answers, the default) or gml (reference answer)."
    )
    var estimator: ModelObjective.AnswerEstimator?

    @Option(help: "Variational selection: weighted (all K traces, the default) or best (the largest weight only).")
    var selection: ModelObjective.Selection?

    @Option(
        help: """
            The trace ratio pi(z|x) / q(z|x,y') in the variational weights [E5]: perToken (its per-token geometric \
            mean, as the paper's experiments; the default) or exact.
            """)
    var normalization: TraceNormalization?

    @Option(
        help: """
            Who samples model-phase traces: hinted-posterior (q with the answer hint, the default), \
            unhinted-posterior (q's weights without the hint: serve a fixed pi0 as q) or reasoning-model (the \
            current pi).
            """)
    var proposal: TraceProposal?

    @Option(
        help: """
            GRPO: the importance ratio against the behaviour policy is clipped to [1 - r, 1 + r] (PPO; default \
            \(ClippedSurrogate.standard.clipRange)).
            """)
    var clipRange: Double?

    @Option(help: "GRPO: the weight of the KL penalty toward the reference model (q's fixed parameters); default 0.")
    var klCoefficient: Double?

    @Option(
        help: """
            Steps of linear learning-rate warmup, for pi and q (default \
            \(LearnerConfiguration().reasoningOptimizer.warmupSteps)); cosine decay to the decay floor follows.
            """)
    var warmupSteps: Int?

    @Option(
        help: """
            The fraction of the peak learning rate the cosine decay ends at, for pi and q (default \
            \(LearnerConfiguration().reasoningOptimizer.decayFloor)).
            """)
    var decayFloor: Float?

    @Option(
        help:
            "AdamW's decoupled weight decay, for pi and q (default \(LearnerConfiguration().reasoningOptimizer.weightDecay))."
    )
    var weightDecay: Float?

    @Option(
        help: """
            The gradient norm each step is clipped to, for pi and q (default \
            \(LearnerConfiguration().reasoningOptimizer.gradientClipNorm)).
            """)
    var gradientClipNorm: Float?

    @Option(help: "AdamW's beta1, for pi and q (default \(LearnerConfiguration().reasoningOptimizer.beta1)).")
    var beta1: Float?

    @Option(help: "AdamW's beta2, for pi and q (default \(LearnerConfiguration().reasoningOptimizer.beta2)).")
    var beta2: Float?

    @Flag(help: "Log JSON lines (each step's metrics as fields) instead of text.")
    var json = false

    @Flag(
        help: """
            Check the effective configuration (the --config file with the options above applied), print it as \
            one JSON line and exit, without reading the tasks or starting anything.
            """)
    var printConfig = false

    func validate() throws {
        guard printConfig || resume || (reasoning != nil && posterior != nil) else {
            throw ValidationError("give --reasoning and --posterior checkpoints, or --resume")
        }
        guard !(resume && resumeIfPresent) else {
            throw ValidationError("--resume and --resume-if-present exclude each other")
        }
        _ = try metricsListenAddress(metricsAddress)
        try learnerConfiguration().validate()
    }

    /// The file's configuration (or the defaults), with every option given on the command line applied over it.
    func learnerConfiguration() throws -> LearnerConfiguration {
        var configuration = LearnerConfiguration()
        if let config {
            configuration = try decodeConfiguration(LearnerConfiguration.self, from: config)
        }
        func set<Value>(_ keyPath: WritableKeyPath<LearnerConfiguration, Value>, _ value: Value?) {
            if let value { configuration[keyPath: keyPath] = value }
        }
        set(\.modelSteps, modelSteps)
        set(\.questionsPerStep, questionsPerStep)
        set(\.tracesPerQuestion, traces)
        set(\.priorTracesPerQuestion, priorTraces)
        set(\.reasoningOptimizer.learningRate, learningRate)
        set(\.posteriorOptimizer.learningRate, posteriorLearningRate)
        if fixedPosterior { configuration.trainsPosterior = false }
        set(\.modelObjective.method, method)
        set(\.modelObjective.estimator, estimator)
        set(\.modelObjective.selection, selection)
        set(\.normalization, normalization)
        set(\.modelObjective.proposal, proposal)
        set(\.modelObjective.surrogate.clipRange, clipRange)
        set(\.modelObjective.surrogate.klCoefficient, klCoefficient)
        let optimizers: [WritableKeyPath<LearnerConfiguration, OptimizerSettings>] = [
            \.reasoningOptimizer, \.posteriorOptimizer,
        ]
        for optimizer in optimizers {
            set(optimizer.appending(path: \.warmupSteps), warmupSteps)
            set(optimizer.appending(path: \.decayFloor), decayFloor)
            set(optimizer.appending(path: \.weightDecay), weightDecay)
            set(optimizer.appending(path: \.gradientClipNorm), gradientClipNorm)
            set(optimizer.appending(path: \.beta1), beta1)
            set(optimizer.appending(path: \.beta2), beta2)
        }
        set(\.policy.maxOutstandingLag, maxLag)
        set(\.policy.maxBatchLag, maxBatchLag)
        set(\.policy.questionsPerAssignment, questionsPerAssignment)
        set(\.policy.workerTimeout, workerTimeout.map { .seconds($0) })
        if let assignmentDeadlineMs { configuration.policy.assignmentDeadline = .milliseconds(assignmentDeadlineMs) }
        set(\.checkpointEvery, checkpointEvery)
        set(\.seed, seed)
        set(\.rankCheckEvery, rankCheckEvery)
        set(\.maxTokensPerPass, maxTokensPerPass)
        set(\.broadcastEncoding, broadcastPrecision)
        return configuration
    }

    func run() throws {
        LoggingSystem.bootstrap { LineLogHandler(label: $0, format: json ? .json : .text) }
        let logger = Logger(label: "vr.learner")
        let configuration = try learnerConfiguration()
        if printConfig {
            print(jsonLine(configuration))  // validate() checked it
            return
        }
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        let ranks = try LearnerRanks.start()
        let (text, renderer) = try ModelText.withTemplates(forModelAt: tokenizer ?? reasoning, hint: hint)
        let start = TrainerStart(
            configuration: configuration, dataset: dataset, text: text, renderer: renderer, ranks: ranks)
        guard ranks.servesWorkers else {
            return try ranks.follow(start: { try startTrainer(start).trainer }, logger: logger)
        }
        do { try serve(start, logger: logger) } catch { try ranks.fail(error, logger: logger) }
        ranks.finish()
    }

    /// What every rank needs to load its trainer.
    private struct TrainerStart: Sendable {
        let configuration: LearnerConfiguration
        let dataset: TaskDataset
        let text: ModelText
        let renderer: TemplateRenderer
        let ranks: LearnerRanks
    }

    /// Loads this rank's trainer: from RUN/checkpoint or the initial checkpoints, as the flags say.
    private func startTrainer(
        _ start: TrainerStart
    ) throws -> (
        trainer: LearnerTrainer, progress: LearnerProgress, resumed: Bool
    ) {
        try LearnerTrainer.start(
            in: runDirectory, resumption: resume ? .required : resumeIfPresent ? .ifPresent : .never,
            reasoning: reasoning, posterior: posterior, configuration: start.configuration, dataset: start.dataset,
            renderer: start.renderer, text: start.text, collective: start.ranks.collective)
    }

    /// Runs rank 0, or the only process: serves the workers and trains, with the other ranks following its steps.
    private func serve(_ start: TrainerStart, logger: Logger) throws {
        let (configuration, dataset, text, renderer, ranks) = (
            start.configuration, start.dataset, start.text, start.renderer, start.ranks
        )
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        try Data((jsonLine(configuration) + "\n").utf8).write(
            to: URL(fileURLWithPath: runDirectory + "/learner-config.json"), options: .atomic)
        logger.info("learner configuration \(jsonLine(configuration))")
        let security = try curveServerSecurity(secretKeyFile: curveSecretKey, allowlistFile: curveAllowedWorkers)
        let telemetry = LearnerTelemetry()
        let statusServer = try metricsListenAddress(metricsAddress).map {
            StatusServer(
                address: $0, registry: telemetry.registry, health: telemetry.health,
                logger: Logger(label: "vr.http")
            ) { address in logger.info("metrics on http://\(address)/metrics, health on http://\(address)/health") }
        }
        let reporter = LearnerReporter(logger: logger, json: json, telemetry: telemetry)
        let (summary, refusedConnections) = try blockingAsync { [self] in
            try await runDaemon(statusServer: statusServer, health: telemetry.health, logger: logger) {
                let (trainer, progress, resumed) = try startTrainer(start)
                try trainer.joinRanks()
                if ranks.collective.size > 1 {
                    logger.info("\(ranks.name) (pid \(getpid())): serving; the steps are split over the ranks")
                }
                if resumed {
                    logger.info(
                        "resuming at version \(progress.parameterVersion) after \(progress.modelSteps) model steps")
                }
                // Bound once the models are loaded, with room on the publisher for the snapshot's size.
                let transport = try ZMQLearnerTransport(
                    configuration: transportConfiguration(snapshotBytes: snapshotByteCount(trainer, configuration)),
                    security: security)
                let refusalLog = logRefusals(of: transport, logger: logger, telemetry: telemetry)
                let curve = security.map { ", CURVE with \($0.allowedClientKeys.count) admitted workers" } ?? ""
                logger.info(
                    "listening: requests \(transport.requestEndpoint), broadcast \(transport.publishEndpoint)\(curve)")
                let service = try LearnerService(
                    configuration: configuration, trainer: trainer, progress: progress, dataset: dataset,
                    renderer: renderer, text: text, transport: transport, runDirectory: runDirectory,
                    onEvent: reporter.report)
                telemetry.serving(parameterVersion: progress.parameterVersion)
                // Written once the models are loaded, so workers started on seeing it are answered at once.
                try writeEndpointsFile(endpointsFile, of: transport)
                let summary: LearnerSummary
                do { summary = try await service.run() } catch {
                    await transport.close()
                    refusalLog.cancel()
                    throw error
                }
                await transport.close()
                refusalLog.cancel()
                try trainer.releaseRanks()
                return (summary, transport.refusedConnections)
            }
        }
        logger.info("\(finishedLine(summary, refusedConnections: refusedConnections))")
    }

    /// The endpoints, and a publisher that holds three whole snapshots for each subscriber: libzmq drops what a
    /// subscriber's queue cannot take, so a worker busy sampling would otherwise lose broadcasts of a large model.
    private func transportConfiguration(snapshotBytes: Int) -> TransportConfiguration {
        var transportConfiguration = TransportConfiguration()
        transportConfiguration.requestEndpoint = requestEndpoint
        transportConfiguration.publishEndpoint = publishEndpoint
        transportConfiguration.sendHighWaterMarkBytes = max(
            transportConfiguration.sendHighWaterMarkBytes, 3 * snapshotBytes)
        return transportConfiguration
    }

    /// The bytes of one snapshot of pi and q in the broadcast encoding.
    private func snapshotByteCount(_ trainer: LearnerTrainer, _ configuration: LearnerConfiguration) -> Int {
        trainer.models.configuration.parameterCount * configuration.broadcastEncoding.bytesPerParameter
    }

    /// The final summary line: steps, batches, skipped steps, lost workers and refusals by reason.
    private func finishedLine(_ summary: LearnerSummary, refusedConnections: Int) -> String {
        let counters = summary.counters
        let byReason = summary.rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let refusedMessages = summary.rejections.values.reduce(0, +)
        return "finished: version \(summary.parameterVersion), \(summary.modelSteps) model and "
            + "\(summary.posteriorSteps) posterior steps; batches trained \(counters.trainedBatches), stale "
            + "\(counters.staleBatches), duplicate \(counters.duplicateBatches), rejected \(counters.rejectedBatches); "
            + "steps skipped \(summary.skippedSteps); workers lost \(counters.lostWorkers); connections refused "
            + "\(refusedConnections); messages refused \(refusedMessages)"
            + (byReason.isEmpty ? "" : " (\(byReason.joined(separator: ", ")))")
    }
}

extension ModelObjective.Method: ExpressibleByArgument {}
extension ModelObjective.AnswerEstimator: ExpressibleByArgument {}
extension ModelObjective.Selection: ExpressibleByArgument {}
extension TraceProposal: ExpressibleByArgument {}
extension TraceNormalization: ExpressibleByArgument {}

extension ParameterEncoding: ExpressibleByArgument {}
