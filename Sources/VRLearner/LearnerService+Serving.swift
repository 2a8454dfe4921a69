// Training steps run beside the message loop: workers keep hearing from the learner while a step takes seconds.
//
// Without this a real model's step (seconds to minutes) silences the learner; workers then take it for gone and
// rejoin, each fetching the whole snapshot again. During a step the loop answers everything except what needs the
// parameters being trained: a snapshot request waits for the step unless the current version's snapshot is cached.

import Foundation
import VRTransport

extension LearnerService {
    /// Runs `step` on a thread of its own while this loop keeps receiving, answering and sending heartbeats; returns
    /// once the step has finished.
    ///
    /// The loop does not touch the models while the step runs: batches only join `pending`, and snapshot requests
    /// are answered from the cache or wait in `snapshotWaiters` for `answerSnapshotWaiters()`.
    /// - Parameter step: the training step.
    /// - Returns: its value.
    /// - Throws: what the step throws, or `LearnerServiceError.transport` if the transport fails meanwhile (after
    ///   the step has finished; its result is then lost with the run).
    func serving<Value>(
        while step: () throws(LearnerStepError) -> Value
    ) async throws(LearnerServiceError) -> Result<Value, LearnerStepError> {
        let tick = Duration.milliseconds(min(50, configuration.heartbeatIntervalMilliseconds))
        let (outcome, transportError) = await withoutActuallyEscaping(step) { step in
            let running = RunningStep(step)
            isTraining = true
            defer { isTraining = false }
            var transportError: String?
            while true {
                if let outcome = running.outcome { return (outcome, transportError) }
                guard transportError == nil else {
                    try? await Task.sleep(for: tick)
                    continue
                }
                do {
                    if let message = try await transport.receive(within: tick) { await handle(message) }
                } catch {
                    transportError = "\(error)"
                }
                await housekeeping()
            }
        }
        if let transportError { throw .transport(transportError) }
        return outcome
    }

    /// Sends the snapshot to the workers that asked for one during a step; called once the step's version is the
    /// current one, so that the snapshot's version number and its parameters agree.
    func answerSnapshotWaiters() async {
        let waiters = snapshotWaiters
        snapshotWaiters = []
        for peer in waiters { await sendSnapshot(to: peer) }
    }
}

/// A step running on a thread of its own, and its result once it has one.
///
/// The step's closure is not `Sendable`: it uses the trainer, which the thread has to itself until it finishes,
/// because the learner's loop leaves the models alone meanwhile and waits for the result before going on. The thread
/// lets go of the closure before it publishes the result, so the closure never outlives `serving(while:)`.
private final class RunningStep<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var step: (() throws(LearnerStepError) -> Value)?
    private var finished: Result<Value, LearnerStepError>?

    /// Starts `step` on a new thread.
    init(_ step: @escaping () throws(LearnerStepError) -> Value) {
        self.step = step
        Thread { [self] in
            let finished = run()
            lock.withLock { self.finished = finished }
        }.start()
    }

    /// Runs the step, releasing it when done.
    private func run() -> Result<Value, LearnerStepError> {
        guard
            let step = lock.withLock({ () -> (() throws(LearnerStepError) -> Value)? in
                defer { self.step = nil }
                return self.step
            })
        else { preconditionFailure("a step runs once") }
        return Result { () throws(LearnerStepError) -> Value in try step() }
    }

    /// The step's result, nil while it runs.
    var outcome: Result<Value, LearnerStepError>? { lock.withLock { finished } }
}
