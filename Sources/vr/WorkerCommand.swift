// `vr worker`: a rollout worker daemon that samples and scores traces for a learner.

import ArgumentParser
import Foundation
import Logging
import VRObservability
import VRTasks
import VRText
import VRTransport
import VRWorker
import VRZMQ

/// Connects to a learner and works until stopped.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Run a rollout worker: sample traces from q or pi for the learner's questions, score them, send them.",
        discussion: """
            SIGINT or SIGTERM stops it and says goodbye, so the learner hands its unfinished work out again. With \
            --metrics-address it serves Prometheus metrics on /metrics and its state on /health.
            """)

    @Option(
        help: """
            The model (checkpoint, Hugging Face directory or .gguf file) whose tokenizer and chat format the \
            models use: needed for pretrained models; the built-in family's byte tokenizer by default.
            """)
    var tokenizer: String?

    @Option(help: TemplateConfiguration.Hint.help)
    var hint = TemplateConfiguration.Hint.workedSolution

    @Option(help: "Training tasks (JSONL); the same file the learner uses.")
    var tasks: String

    @Option(help: "The learner's request endpoint.")
    var requestEndpoint = "tcp://127.0.0.1:5555"

    @Option(help: "The learner's broadcast endpoint.")
    var publishEndpoint = "tcp://127.0.0.1:5556"

    @Option(help: "Read both endpoints from this JSON file (as written by `vr learner --endpoints-file`).")
    var endpointsFile: String?

    @Option(help: "CURVE: this worker's secret key file (`vr keys`, mode 0600); with --curve-learner-key.")
    var curveSecretKey: String?

    @Option(help: "CURVE: the learner's public key file.")
    var curveLearnerKey: String?

    @Option(help: "The worker's identity (default: worker-HOST-PID); unique per running worker.")
    var id: String?

    @Option(
        help: """
            A worker configuration (JSON; WorkerConfiguration, as the worker logs it at start): missing keys take \
            their defaults, unknown keys are refused, and the options below override it.
            """)
    var config: String?

    @Option(
        help: "Answers sampled from pi per trace for the Acc estimate (default \(RolloutOptions().answersPerTrace)).")
    var answersPerTrace: Int?

    @Option(help: "Longest trace in tokens (default \(RolloutOptions().maxTraceTokens)).")
    var maxTraceTokens: Int?

    @Option(help: "Temperature of trace sampling (default \(RolloutOptions().traceTemperature)).")
    var temperature: Float?

    @Option(help: "Stop after this many batches (default 0: run until the learner is gone).")
    var maxBatches: Int?

    @Option(help: "Stop when the learner has not answered a hello for this many seconds (default 0: wait forever).")
    var learnerGoneSeconds: Int?

    @Option(help: "Serve Prometheus /metrics and /health over HTTP on HOST:PORT (port 0: any free port).")
    var metricsAddress: String?

    @Option(help: "Seed of this worker's sampling (default 0).")
    var seed: UInt64?

    @Option(
        help: """
            MiB of incoming messages to queue while busy; a broadcast that does not fit is lost and fetched again \
            as a snapshot. At least one whole snapshot of the models (pi and q in float32: 8 bytes per parameter).
            """)
    var receiveBufferMib = 2048

    @Flag(help: "Log JSON lines (events with their fields) instead of text.")
    var json = false

    @Flag(
        help: """
            Check the effective configuration (the --config file with the options above applied), print it as \
            one JSON line and exit, without reading the tasks or starting anything.
            """)
    var printConfig = false

    func validate() throws {
        _ = try metricsListenAddress(metricsAddress)
        try workerConfiguration().validate()
        guard (1...65_536).contains(receiveBufferMib) else {
            throw ValidationError("--receive-buffer-mib \(receiveBufferMib) not in 1...65536")
        }
    }

    func run() throws {
        LoggingSystem.bootstrap { LineLogHandler(label: $0, format: json ? .json : .text) }
        let logger = Logger(label: "vr.worker")
        let configuration = try workerConfiguration()
        if printConfig {
            print(jsonLine(configuration))  // validate() checked it
            return
        }
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        var transportConfiguration = TransportConfiguration()
        (transportConfiguration.requestEndpoint, transportConfiguration.publishEndpoint) = try endpoints()
        transportConfiguration.receiveHighWaterMarkBytes = receiveBufferMib << 20
        let identity = try PeerID(id ?? "worker-\(ProcessInfo.processInfo.hostName)-\(getpid())")
        let security = try curveClientSecurity(secretKeyFile: curveSecretKey, learnerKeyFile: curveLearnerKey)
        let transport = try ZMQWorkerTransport(
            identity: identity, configuration: transportConfiguration, security: security)
        logger.info("worker \(identity) configuration \(jsonLine(configuration))")
        let telemetry = WorkerTelemetry()
        let (text, renderer) = try ModelText.withTemplates(forModelAt: tokenizer, hint: hint)
        let service = try WorkerService(
            configuration: configuration, dataset: dataset, transport: transport, renderer: renderer, text: text,
            onEvent: WorkerReporter(logger: logger, json: json, telemetry: telemetry).report)
        let statusServer = try metricsListenAddress(metricsAddress).map {
            StatusServer(
                address: $0, registry: telemetry.registry, health: telemetry.health,
                logger: Logger(label: "vr.http")
            ) { address in logger.info("metrics on http://\(address)/metrics, health on http://\(address)/health") }
        }
        telemetry.serving()
        let summary = try blockingAsync {
            try await runDaemon(statusServer: statusServer, health: telemetry.health, logger: logger) {
                try await service.run()
            }
        }
        _ = try? blockingAsync { await transport.close() }
        let counts = "\(summary.batchCount) batches, \(summary.traceCount) traces"
        logger.info("worker \(identity) finished: \(counts), parameters v\(summary.parameterVersion)")
    }

    /// The file's configuration (or the defaults), with every option given on the command line applied over it.
    func workerConfiguration() throws -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        if let config {
            configuration = try decodeConfiguration(WorkerConfiguration.self, from: config)
        }
        func set<Value>(_ keyPath: WritableKeyPath<WorkerConfiguration, Value>, _ value: Value?) {
            if let value { configuration[keyPath: keyPath] = value }
        }
        set(\.rollout.answersPerTrace, answersPerTrace)
        set(\.rollout.maxTraceTokens, maxTraceTokens)
        set(\.rollout.traceTemperature, temperature)
        set(\.maxBatches, maxBatches)
        set(\.learnerGoneMilliseconds, learnerGoneSeconds.map { $0 * 1000 })
        set(\.seed, seed)
        return configuration
    }

    private func endpoints() throws -> (String, String) {
        guard let endpointsFile else { return (requestEndpoint, publishEndpoint) }
        guard let data = FileManager.default.contents(atPath: endpointsFile) else {
            throw ValidationError(
                "the endpoints file \(endpointsFile) cannot be read; start the learner with --endpoints-file first")
        }
        guard let endpoints = try? JSONDecoder().decode([String: String].self, from: data),
            let request = endpoints["request"], let publish = endpoints["publish"]
        else {
            throw ValidationError("\(endpointsFile) must hold {\"request\": ..., \"publish\": ...}")
        }
        return (request, publish)
    }
}
