// `vr worker`: a rollout worker daemon that samples and scores traces for a learner.

import ArgumentParser
import Foundation
import VRTasks
import VRTransport
import VRWorker
import VRZMQ

/// Connects to a learner and works until stopped.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a rollout worker: sample traces from q or pi for the learner's questions, score them, send them."
    )

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

    @Option(help: "Answers sampled from pi per trace for the Acc estimate.")
    var answersPerTrace = RolloutOptions().answersPerTrace

    @Option(help: "Longest trace in tokens.")
    var maxTraceTokens = RolloutOptions().maxTraceTokens

    @Option(help: "Temperature of trace sampling.")
    var temperature = RolloutOptions().traceTemperature

    @Option(help: "Stop after this many batches (0: run until the learner is gone).")
    var maxBatches = 0

    @Option(help: "Stop when the learner has not answered a hello for this many seconds (0: wait forever).")
    var learnerGoneSeconds = 0

    @Option(help: "Seed of this worker's sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Print events as JSON lines.")
    var json = false

    func run() throws {
        var configuration = WorkerConfiguration()
        configuration.rollout.answersPerTrace = answersPerTrace
        configuration.rollout.maxTraceTokens = maxTraceTokens
        configuration.rollout.traceTemperature = temperature
        configuration.maxBatches = maxBatches
        configuration.learnerGoneMilliseconds = learnerGoneSeconds * 1000
        configuration.seed = seed
        try configuration.validate()
        let dataset = try TaskDataset.read(from: tasks, verifier: nil)
        var transportConfiguration = TransportConfiguration()
        (transportConfiguration.requestEndpoint, transportConfiguration.publishEndpoint) = try endpoints()
        let identity = try PeerID(id ?? "worker-\(ProcessInfo.processInfo.hostName)-\(getpid())")
        let security = try curveClientSecurity(secretKeyFile: curveSecretKey, learnerKeyFile: curveLearnerKey)
        let transport = try ZMQWorkerTransport(
            identity: identity, configuration: transportConfiguration, security: security)
        printProgress("worker \(identity) configuration " + jsonLine(configuration))
        let service = try WorkerService(
            configuration: configuration, dataset: dataset, transport: transport,
            onEvent: WorkerReporter(json: json).report)
        let summary = try blockingAsync { try await service.run() }
        _ = try? blockingAsync { await transport.close() }
        printProgress(
            "worker \(identity) finished: \(summary.batchCount) batches, \(summary.traceCount) traces, "
                + "parameters v\(summary.parameterVersion)")
    }

    private func endpoints() throws -> (String, String) {
        guard let endpointsFile else { return (requestEndpoint, publishEndpoint) }
        let data = try Data(contentsOf: URL(fileURLWithPath: endpointsFile))
        guard let endpoints = try? JSONDecoder().decode([String: String].self, from: data),
            let request = endpoints["request"], let publish = endpoints["publish"]
        else {
            throw ValidationError("\(endpointsFile) must hold {\"request\": ..., \"publish\": ...}")
        }
        return (request, publish)
    }
}

/// Prints worker events as text or JSON lines.
struct WorkerReporter: Sendable {
    /// JSON lines instead of text.
    let json: Bool

    /// Prints one event.
    /// - Parameter event: what happened.
    func report(_ event: WorkerEvent) {
        let (name, fields): (String, [String: String]) =
            switch event {
            case .welcomed(let learner, let version): ("welcomed", ["learner": learner, "version": "\(version)"])
            case .received(let version): ("received", ["version": "\(version)"])
            case .applied(let version, let viaSnapshot):
                ("applied", ["version": "\(version)", "via": viaSnapshot ? "snapshot" : "broadcast"])
            case .assigned(let assignment, let questions):
                ("assigned", ["assignment": "\(assignment)", "questions": "\(questions)"])
            case .batchSent(let sequence, let assignment, let questions, let traces, let seconds):
                (
                    "batch",
                    [
                        "sequence": "\(sequence)", "assignment": "\(assignment)", "questions": "\(questions)",
                        "traces": "\(traces)", "seconds": decimal(seconds, 3),
                    ]
                )
            case .batchAcknowledged(let sequence, let status): ("ack", ["sequence": "\(sequence)", "status": status])
            case .refused(let reason): ("refused", ["reason": reason])
            case .rejoining(let reason): ("rejoining", ["reason": reason])
            }
        if json {
            let time = decimal(Date().timeIntervalSince1970, 6)
            printProgress(jsonLine(fields.merging(["event": name, "time": time]) { $1 }))
        } else {
            printProgress(
                name + " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
    }
}
