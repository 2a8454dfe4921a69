// The measured path: the same broadcast through ZMQLearnerTransport.publish and ZMQWorkerTransport.

import VRTransport
import VRZMQ

/// A learner transport and `subscriberCount` worker transports on loopback TCP, as a learner and its workers.
///
/// Each worker transport has its own context, I/O thread and socket thread, as in separate worker processes.
final class BroadcastTransportCluster: Sendable {
    private struct Completion: Sendable {
        let index: Int
        let reception: BroadcastReception<Frame>
        let instant: ContinuousClock.Instant
    }

    /// The number of worker transports.
    var subscriberCount: Int { workers.count }

    private let learner: ZMQLearnerTransport
    private let workers: [ZMQWorkerTransport]
    private let receiveTimeout: Duration

    /// Binds the learner to ephemeral loopback ports and connects every worker to it.
    /// - Parameters:
    ///   - subscriberCount: the number of worker transports.
    ///   - configuration: the settings; its endpoints must be `tcp://127.0.0.1:*`.
    ///   - receiveTimeout: how long a run may take before it fails.
    /// - Throws: `BroadcastError` when a transport cannot start.
    init(
        subscriberCount: Int, configuration: TransportConfiguration, receiveTimeout: Duration
    ) throws(BroadcastError) {
        do {
            let learner = try ZMQLearnerTransport(configuration: configuration)
            let workerConfiguration = learner.workerConfiguration
            self.learner = learner
            workers = try (0..<subscriberCount).map { index in
                try ZMQWorkerTransport(identity: PeerID("bench-\(index + 1)"), configuration: workerConfiguration)
            }
        } catch {
            throw BroadcastError("transport path: could not start: \(error)")
        }
        self.receiveTimeout = receiveTimeout
    }

    /// Publishes the payload once and waits until every worker has received all of it.
    /// - Parameters:
    ///   - payload: the snapshot.
    ///   - parameterVersion: the version the headers carry, new for every run.
    /// - Returns: the elapsed time and what each worker received.
    /// - Throws: `BroadcastError` when a publish fails, a worker receives a stray message or the run times out.
    func broadcast(
        _ payload: BroadcastPayload, parameterVersion: UInt64
    ) async throws(BroadcastError) -> BroadcastRun<Frame> {
        do {
            return try await run(payload, parameterVersion: parameterVersion)
        } catch let error as BroadcastError {
            throw error
        } catch {
            throw BroadcastError("transport path: \(error)")
        }
    }

    /// Closes every transport.
    func close() async {
        for worker in workers { await worker.close() }
        await learner.close()
    }

    private func run(_ payload: BroadcastPayload, parameterVersion: UInt64) async throws -> BroadcastRun<Frame> {
        let messages = payload.messages(parameterVersion: parameterVersion)
        let progress = BroadcastProgress(subscriberCount: workers.count)
        let deadline = ContinuousClock.now.advanced(by: receiveTimeout)
        return try await withThrowingTaskGroup(of: Completion?.self) { group in
            for (index, worker) in workers.enumerated() {
                group.addTask {
                    try await Self.receive(from: worker, index: index, version: parameterVersion, progress: progress)
                }
            }
            group.addTask { [receiveTimeout] in
                try await Task.sleep(until: deadline)
                throw BroadcastError(
                    "transport path: not every worker had the snapshot after \(receiveTimeout) (messages per worker: "
                        + "\(progress.messageCountsDescription)); did the PUB drop messages at its high-water mark?")
            }
            // 1. probe until every SUB is connected and subscribed (PUB drops messages for late joiners)
            while !progress.allProbed && ContinuousClock.now < deadline {
                try await learner.publish(BroadcastPayload.probe)
                try await Task.sleep(for: .milliseconds(2))
            }
            // 2. the timed part: every message, published as the learner does
            let start = ContinuousClock.now
            try await learner.publish(contentsOf: messages)
            // 3. wait for the last worker; the watchdog's error surfaces here if one never completes
            var completions: [Completion] = []
            while completions.count < workers.count, let next = try await group.next() {
                if let next { completions.append(next) }
            }
            group.cancelAll()
            let ordered = completions.sorted { $0.index < $1.index }
            return BroadcastRun(start: start, completions: ordered.map { ($0.reception, $0.instant) })
        }
    }

    private static func receive(
        from worker: ZMQWorkerTransport, index: Int, version: UInt64, progress: BroadcastProgress
    ) async throws -> Completion {
        var reception = BroadcastReception<Frame>(
            parameterVersion: version, subscriberName: "transport subscriber \(index + 1)")
        while true {
            for message in try await worker.receivePublications() {
                switch try reception.accept(message) {
                case .probe: progress.probeArrived(at: index)
                case .pending: progress.messageArrived(at: index)
                case .complete: return Completion(index: index, reception: reception, instant: .now)
                }
            }
        }
    }
}
