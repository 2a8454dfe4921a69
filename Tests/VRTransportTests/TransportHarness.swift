// Test support: one learner plus workers over either transport, bounded waits, and message helpers.

import Synchronization
import Testing
import VRTestSupport
import VRTransport
import VRZMQ

/// The transports every behaviour test runs against (STYLE.md 4.13: in-process and over real sockets).
enum TransportKind: String, CaseIterable, CustomTestStringConvertible {
    case inProcess, zmq
    var testDescription: String { rawValue }
}

extension TransportConfiguration {
    /// Loopback with any free port, short linger, and timings that tolerate a loaded 2-core machine.
    static var testing: TransportConfiguration {
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = "tcp://127.0.0.1:*"
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.lingerMilliseconds = 200
        configuration.sendTimeoutMilliseconds = 10_000
        configuration.heartbeatIntervalMilliseconds = 250
        configuration.heartbeatTimeoutMilliseconds = 3_000
        configuration.reconnectMinimumMilliseconds = 20
        configuration.reconnectMaximumMilliseconds = 500
        return configuration
    }
}

/// A learner and the workers a test adds, over one kind of transport; `close()` closes them all.
final class Cluster: Sendable {
    let kind: TransportKind
    let learner: any LearnerTransport
    let workerConfiguration: TransportConfiguration
    private let hub: InProcessHub?
    private let workers = Mutex<[any WorkerTransport]>([])

    init(_ kind: TransportKind, configuration: TransportConfiguration = .testing) throws {
        self.kind = kind
        switch kind {
        case .inProcess:
            let hub = try InProcessHub(configuration: configuration)
            self.hub = hub
            learner = try hub.makeLearner()
            workerConfiguration = configuration
        case .zmq:
            let learner = try ZMQLearnerTransport(configuration: configuration)
            self.hub = nil
            self.learner = learner
            workerConfiguration = learner.workerConfiguration
        }
    }

    /// Starts a worker with this identity.
    func worker(_ name: String) throws -> any WorkerTransport {
        let identity = try PeerID(name)
        let worker: any WorkerTransport =
            if let hub {
                hub.makeWorker(identity: identity)
            } else {
                try ZMQWorkerTransport(identity: identity, configuration: workerConfiguration)
            }
        workers.withLock { $0.append(worker) }
        return worker
    }

    /// Closes every worker, then the learner.
    func close() async {
        for worker in workers.withLock({ $0 }) { await worker.close() }
        await learner.close()
    }
}

/// Runs `body` against a fresh cluster, bounded in time, and closes the cluster afterwards (also bounded).
func withCluster(
    _ kind: TransportKind, configuration: TransportConfiguration = .testing, seconds: Double = 60,
    _ body: @escaping @Sendable (Cluster) async throws -> Void
) async throws {
    let cluster = try Cluster(kind, configuration: configuration)
    do {
        try await withTimeout(seconds: seconds) { try await body(cluster) }
    } catch {
        try await withTimeout(seconds: 10) { await cluster.close() }
        throw error
    }
    try await withTimeout(seconds: 10) { await cluster.close() }
}

/// A thread-safe counter, for tasks to report progress to a polling test.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// A message of UTF-8 frames.
func message(_ texts: String...) -> Multipart {
    texts.map { Frame($0) }
}

/// The frames of a message as strings.
func texts(_ message: Multipart) -> [String] {
    message.map { String(decoding: $0.bytes, as: UTF8.self) }
}
