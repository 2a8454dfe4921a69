// `vr build-data`: the released code's offline pipeline through the worker pool, written as an SFT set for
// `vr sft --initial`.

import ArgumentParser
import Foundation
import Logging
import VRExperiment
import VRLearner
import VRObjectives
import VRObservability
import VRTasks
import VRText
import VRTraining
import VRTransport
import VRWire
import VRWorker
import VRZMQ

/// Hands every question to rollout workers for K traces from a fixed proposal scored with a fixed pi0, then builds
/// the SFT set from them.
struct BuildDataCommand: ParsableCommand {
    /// Which traces become examples.
    enum Selection: String, ExpressibleByArgument, CaseIterable {
        case best, weighted, rft
    }

    static let configuration = CommandConfiguration(
        commandName: "build-data",
        abstract: "Build an SFT set from q's traces weighted by a fixed pi0 (the released code's offline mode).",
        discussion: """
            Serves pi0 and q to rollout workers (`vr worker`, started here with --workers N, or connecting to \
            --request-endpoint and --publish-endpoint from other machines), which sample K traces per question \
            from q with its hint (--hint; --proposal unhinted-posterior samples the --posterior model without it, \
            e.g. pi0 itself) and estimate Acc from n answers sampled from pi0 after each trace. Every batch is \
            checked against its question and this process's own prompts; log pi0 of each trace and of the \
            reference answer after it come from teacher forcing here. Each trace gets log rho = log acc (or the \
            reference answer's mean log-prob, --estimator gml) + mean(log pi0 - log q) (docs/math.md [E5], [E6]). \
            --selection best keeps the largest as an unweighted example (the paper's 17K setting, with \
            --mix-references); --selection weighted keeps every usable trace with weight rhoTilde [E4] (its 1K \
            setting); --selection rft keeps every trace with a correct answer, weighted acc / K [E11]. Questions \
            without a usable trace keep their reference thought (not for rft). --pool writes the scored traces, \
            from which `vr experiment` builds every offline arm's data. Train on the result with \
            `vr sft --data OUT --initial PI0`.
            """)

    @Option(help: "Tasks (JSONL) with reference solutions; the workers read the same file.")
    var tasks: String

    @Option(help: "Checkpoint of the posterior q that proposes traces.")
    var posterior: String

    @Option(help: "Checkpoint of the reasoning model pi0 that scores them.")
    var reasoning: String

    @Option(
        help: """
            The model (checkpoint, Hugging Face directory or .gguf file) whose tokenizer and chat format pi0 and q \
            use; by default --reasoning's.
            """)
    var tokenizer: String?

    @Option(help: TemplateConfiguration.Hint.help)
    var hint = TemplateConfiguration.Hint.workedSolution

    @Option(help: "The prompt/response JSONL file to write.")
    var output: String

    @Option(help: "Also write the scored traces to this JSONL file (one question per line).")
    var pool: String?

    @Option(help: "Who samples the traces: the hinted posterior, or the --posterior model without the hint.")
    var proposal = TraceProposal.hintedPosterior

    @Option(help: "Which traces become examples: best, weighted or rft.")
    var selection = Selection.best

    @Option(help: "The estimator of pi(Y_x | x, z) in the weights [E6] (best and weighted).")
    var estimator = ModelObjective.AnswerEstimator.acc

    @Flag(help: "Add every question's reference example to the set (the paper's 17K setting mixes them in).")
    var mixReferences = false

    @Option(
        help: "The trace ratio in the weights [E5]: perToken (its per-token geometric mean, as the paper) or exact.")
    var normalization = TraceNormalization.perToken

    @Option(help: "K: traces per question (the learner's default).")
    var traces = LearnerConfiguration().tracesPerQuestion

    @Option(help: "Worker processes to start on this machine (0: only workers that connect from elsewhere).")
    var workers = 2

    @Option(help: "Request endpoint to bind (port * picks a free one).")
    var requestEndpoint = "tcp://127.0.0.1:*"

    @Option(help: "Broadcast endpoint to bind (port * picks a free one).")
    var publishEndpoint = "tcp://127.0.0.1:*"

    @Option(help: "Write the bound endpoints to this JSON file, for `vr worker --endpoints-file`.")
    var endpointsFile: String?

    @Option(help: "CURVE: the learner's secret key file (`vr keys`, mode 0600); with --curve-allowed-workers.")
    var curveSecretKey: String?

    @Option(
        help: "CURVE: the public keys of the workers to admit; the workers started here get keys of their own.")
    var curveAllowedWorkers: String?

    @Option(help: "n: answers sampled from pi0 per trace for Acc (workers started here).")
    var answersPerTrace = RolloutOptions().answersPerTrace

    @Option(help: "Temperature of trace sampling (workers started here).")
    var temperature = RolloutOptions().traceTemperature

    @Option(help: "Longest trace in tokens; longer ones are never chosen.")
    var maxTraceTokens = RolloutOptions().maxTraceTokens

    @Option(help: "Questions per assignment.")
    var questionsPerAssignment = 4

    @Option(help: "Seconds of silence after which a worker's questions are handed out again.")
    var workerTimeout = 10

    @Option(help: "Sampling seed; worker i uses seed + i.")
    var seed: UInt64 = 0

    func validate() throws {
        guard traces >= 1, workers >= 0, questionsPerAssignment >= 1, workerTimeout >= 1, maxTraceTokens >= 1 else {
            throw ValidationError(
                "--traces, --questions-per-assignment, --worker-timeout and --max-trace-tokens must be at least 1, "
                    + "--workers at least 0")
        }
    }

    /// The selection the flags describe.
    var offlineSelection: OfflineSelection {
        let weighting: OfflineSelection.Weighting =
            switch selection {
            case .best:
                .variational(estimator: estimator.estimator, mode: .bestTrace, normalization: normalization)
            case .weighted:
                .variational(estimator: estimator.estimator, mode: .allWeighted, normalization: normalization)
            case .rft: .rejectionSampling
            }
        return OfflineSelection(weighting: weighting, includesReferences: mixReferences)
    }

    func run() throws {
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        let (text, renderer) = try ModelText.withTemplates(forModelAt: tokenizer ?? reasoning, hint: hint)
        let builder = try DataBuilder(
            selection: offlineSelection, maxTraceTokens: maxTraceTokens, renderer: renderer, text: text)
        let collection = TraceCollection(
            dataset: dataset, reasoning: reasoning, posterior: posterior,
            configuration: TraceCollection.collectionConfiguration(
                traces: traces, proposal: proposal, questionsPerAssignment: questionsPerAssignment,
                workerTimeout: .seconds(workerTimeout), seed: seed),
            builder: builder, renderer: renderer, text: text, progress: printProgress)
        var transportConfiguration = TransportConfiguration()
        transportConfiguration.requestEndpoint = requestEndpoint
        transportConfiguration.publishEndpoint = publishEndpoint
        var security = try curveServerSecurity(secretKeyFile: curveSecretKey, allowlistFile: curveAllowedWorkers)
        var localKeys: LocalWorkerKeys?
        if var server = security {
            localKeys = try LocalWorkerKeys(admittedBy: &server)
            security = server
        }
        defer { localKeys?.remove() }
        let keyArguments = localKeys?.workerArguments ?? []
        let transport = try ZMQLearnerTransport(configuration: transportConfiguration, security: security)
        defer { _ = try? blockingAsync { await transport.close() } }
        printProgress("listening: requests \(transport.requestEndpoint), broadcast \(transport.publishEndpoint)")
        let localWorkers = LocalWorkers(
            logs: (0..<workers).map { "\(output).worker-\($0 + 1).log" }, launcher: DaemonLauncher.running)
        defer { localWorkers.terminate() }
        LoggingSystem.bootstrap { LineLogHandler(label: $0, format: .text) }
        let reporter = LearnerReporter(
            logger: Logger(label: "vr.build-data"), json: false, telemetry: LearnerTelemetry())
        let pooled: [PooledQuestion]
        do {
            pooled = try blockingAsync(
                stopSignals: [SIGINT, SIGTERM], stopWhen: { localWorkers.allExited }
            ) { [self] in
                try await collection.run(
                    transport: transport, onEvent: reporter.report,
                    whenServing: {
                        // Workers are started, and told where to connect, once the models are loaded: they are
                        // answered from their first request.
                        try writeEndpointsFile(endpointsFile, of: transport)
                        try localWorkers.launch { workerArguments(index: $0, transport: transport) + keyArguments }
                        if workers > 0 {
                            printProgress("\(workers) workers started; their logs are \(output).worker-*.log")
                        }
                    },
                    // Scoring needs the memory the workers hold.
                    whenCollected: { localWorkers.release() })
            }
        } catch {
            if localWorkers.allExited { throw localWorkers.failure() }
            throw error
        }
        if let pool {
            try TracePool.write(pooled, to: pool)
            printProgress("wrote the scored traces of \(pooled.count) questions to \(pool)")
        }
        let examples = try zip(dataset.items, pooled).flatMap { try builder.examples(for: $0, pooled: $1) }
        let questionCount = pooled.count
        try PromptResponseDataset(
            examples: examples.map {
                PromptResponseExample(prompt: $0.prompt, response: $0.response, weight: $0.weight)
            }
        ).write(to: output)
        let questionsWithTraces = Set(examples.filter { !$0.isReference }.map(\.questionID))
        printProgress(
            "wrote \(examples.count) examples for \(questionCount) questions to \(output) (selection "
                + "\(selection.rawValue)): \(questionsWithTraces.count) questions with sampled traces, "
                + "\(questionCount - questionsWithTraces.count) with the reference thought (no usable trace)")
    }

    private func workerArguments(index: Int, transport: ZMQLearnerTransport) -> [String] {
        [
            "worker", "--tasks", tasks, "--request-endpoint", transport.requestEndpoint, "--publish-endpoint",
            transport.publishEndpoint, "--id", "build-data-worker-\(index + 1)", "--seed",
            "\(seed &+ UInt64(index + 1))",
            "--answers-per-trace", "\(answersPerTrace)", "--temperature", "\(temperature)", "--max-trace-tokens",
            "\(maxTraceTokens)", "--learner-gone-seconds", "60", "--tokenizer", tokenizer ?? reasoning, "--hint",
            hint.rawValue,
        ]
    }
}
