// The learner's training side: batches wait per phase until a step's worth has arrived, then train and publish.

import Foundation
import VRCore
import VRRecords
import VRTransport
import VRWire

/// Accepted batches waiting for their phase's next step.
struct PendingTraining {
    var model = PhaseQueue<QuestionForTraining>()
    var posterior = PhaseQueue<QuestionForPosterior>()
    /// Traces received since the last step, for the rollout rate.
    var tracesSinceStep = 0
    /// Their tokens.
    var traceTokensSinceStep = 0
    /// The tokens of the answers sampled after them.
    var answerTokensSinceStep = 0
    /// Of those traces, the ones cut off by the length limit, which get no weight.
    var truncatedTracesSinceStep = 0
    /// And the ones too long for the model's context.
    var overlongTracesSinceStep = 0

    /// The questions waiting in both phases.
    var waitingQuestionCount: Int { model.count + posterior.count }

    /// Queues the questions `built` from `batch` for their phase's step and counts its traces and tokens.
    mutating func add(_ built: BuiltBatch, of batch: RolloutBatch) {
        tracesSinceStep += batch.traceCount
        for question in batch.questions {
            for trace in question.traces {
                traceTokensSinceStep += trace.traceTokenIDs.count
                answerTokensSinceStep += trace.sampledAnswers.tokenCount
            }
        }
        truncatedTracesSinceStep += built.truncatedTraceCount
        overlongTracesSinceStep += built.overlongTraceCount
        switch built.content {
        case .model(let questions): model.append(questions, samplingVersion: batch.samplingParameterVersion)
        case .posterior(let questions): posterior.append(questions, samplingVersion: batch.samplingParameterVersion)
        }
    }
}

extension LearnerService {
    /// Takes a step in each phase that has a step's worth of questions, then publishes when due.
    func trainWhenReady() async throws(LearnerServiceError) {
        let batchSize = configuration.questionsPerStep
        if let taken = pending.posterior.takeStep(of: batchSize, at: machine.parameterVersion) {
            let (questions, lags) = (taken.questions, taken.lags)
            let accuracies = questions.flatMap(\.traces).map { accuracy($0.correctAnswers, $0.sampledAnswers) }
            // pi's traces, with q's closing marker in place of pi's.
            let lengths = questions.flatMap(\.traces).map(\.traceTokens.count)
            _ = try await step(
                phase: .posterior, questionCount: questions.count, accuracies: accuracies,
                traceLengths: lengths,
                lags: lags
            ) {
                () throws(LearnerStepError) -> StepOutcome in try trainer.posteriorStep(questions)
            }
        }
        if trainer.modelSteps < configuration.modelSteps,
            let taken = pending.model.takeStep(of: batchSize, at: machine.parameterVersion)
        {
            let (questions, lags) = (taken.questions, taken.lags)
            let accuracies = questions.flatMap(\.traces).map(\.accuracy)
            let lengths = questions.flatMap(\.traces).map(\.traceTokens.count)
            let outcome = try await step(
                phase: .model, questionCount: questions.count, accuracies: accuracies,
                traceLengths: lengths,
                lags: lags
            ) { () throws(LearnerStepError) -> StepOutcome in try trainer.modelStep(questions) }
            if let outcome { try recordQuestions(questions, weights: outcome.weights) }
        }
    }

    /// Runs one step, advances the version, writes metrics, publishes and checkpoints when due.
    /// - Returns: what the step computed, or nil when it failed on its inputs.
    private func step(
        phase: RolloutPhase, questionCount: Int, accuracies: [Double], traceLengths: [Int], lags: [UInt64],
        _ train: () throws(LearnerStepError) -> StepOutcome
    ) async throws(LearnerServiceError) -> StepOutcome? {
        let started = clock.now
        let outcome: StepOutcome
        switch try await serving(while: train) {
        case .success(let value): outcome = value
        case .failure(.collective(let error)):
            throw .collective("\(error)")
        case .failure(let error):
            skippedSteps += 1
            onEvent(.stepFailed(reason: "\(phase) step: \(error)"))
            await answerSnapshotWaiters()
            return nil
        }
        let seconds = (clock.now - started).inSeconds
        if !outcome.applied { skippedSteps += 1 }
        let publications = machine.stepFinished()
        let elapsed = now.inSeconds
        let counters = machine.counters
        let metrics = StepMetrics(
            step: trainer.modelSteps + trainer.posteriorSteps, phase: phase, parameterVersion: machine.parameterVersion,
            loss: outcome.loss, gradientNorm: outcome.gradientNorm, learningRate: outcome.learningRate,
            bound: .finiteMean(outcome.bounds),
            effectiveSampleSize: .finiteMean(outcome.effectiveSampleSizes.filter { $0 > 0 }),
            zeroWeightQuestions: outcome.weights.count { $0.allSatisfy { $0 == 0 } },
            questions: questionCount, traces: accuracies.count,
            meanAccuracy: accuracies.isEmpty ? 0 : accuracies.reduce(0, +) / Double(accuracies.count),
            meanTraceTokens: traceLengths.isEmpty ? 0 : Double(traceLengths.reduce(0, +)) / Double(traceLengths.count),
            meanLag: lags.isEmpty ? 0 : Double(lags.reduce(0, +)) / Double(lags.count), maxLag: lags.max() ?? 0,
            tokens: outcome.tokenCount, stepSeconds: seconds,
            tokensPerSecond: seconds > 0 ? Double(outcome.tokenCount) / seconds : 0,
            rolloutsPerSecond: Double(pending.tracesSinceStep) / max(elapsed - lastStepElapsed, 1e-9),
            sampledTraceTokens: pending.traceTokensSinceStep, sampledAnswerTokens: pending.answerTokensSinceStep,
            truncatedTraces: pending.truncatedTracesSinceStep,
            overlongTraces: pending.overlongTracesSinceStep,
            elapsedSeconds: elapsed, staleBatches: counters.staleBatches, duplicateBatches: counters.duplicateBatches,
            rejectedBatches: counters.rejectedBatches, lostWorkers: counters.lostWorkers, applied: outcome.applied,
            skippedSteps: skippedSteps, rejections: rejections)
        pending.tracesSinceStep = 0
        pending.traceTokensSinceStep = 0
        pending.answerTokensSinceStep = 0
        pending.truncatedTracesSinceStep = 0
        pending.overlongTracesSinceStep = 0
        lastStepElapsed = elapsed
        try record(metrics)
        onEvent(.step(metrics))
        for case .publish(let version) in publications { await publish(version) }
        await answerSnapshotWaiters()
        let steps = trainer.modelSteps + trainer.posteriorSteps
        if configuration.checkpointEvery > 0 && steps % configuration.checkpointEvery == 0 { try writeCheckpoint() }
        return outcome
    }

    /// Appends the model step's `QuestionWeightRecord`s to `questions.jsonl`.
    private func recordQuestions(
        _ questions: [QuestionForTraining], weights: [[Double]]
    ) throws(LearnerServiceError) {
        guard let questionsFile else { return }
        let records: [QuestionWeightRecord]
        do {
            records = try QuestionWeightRecord.records(
                step: trainer.modelSteps + trainer.posteriorSteps, questions: questions, weights: weights,
                method: configuration.modelObjective.method, labels: questionLabels)
        } catch {
            onEvent(.stepFailed(reason: "question weights: \(error)"))
            return
        }
        try append(records, to: questionsFile, name: "questions.jsonl")
    }

    /// Broadcasts the current parameters: an announcement, then the chunks.
    func publish(_ version: UInt64) async {
        let started = clock.now
        let messages = snapshotMessages()
        try? await transport.publish(contentsOf: messages)
        onEvent(
            .published(
                parameterVersion: version, byteCount: messages.reduce(0) { $0 + $1.byteCount },
                seconds: (clock.now - started).inSeconds))
    }

    /// Sends the current parameters to one worker that asked (late joiners, reconnects, missed broadcasts).
    ///
    /// During a step the request is answered from the cache, or once the step has finished.
    func sendSnapshot(to peer: PeerID) async {
        guard machine.knows(peer.description) else {
            await refuseUnknown(peer, answering: "SnapshotRequest")
            return
        }
        if isTraining && snapshotCache?.version != machine.parameterVersion {
            if !snapshotWaiters.contains(peer) { snapshotWaiters.append(peer) }
            return
        }
        for message in snapshotMessages() { try? await transport.send(message, to: peer) }
        onEvent(.snapshotSent(worker: peer.description, parameterVersion: machine.parameterVersion))
    }

    /// The frames of the current version's snapshot, built once per version straight from the models' buffers:
    /// each chunk is encoded and dropped, so the frames are the only copy of the parameters the learner adds.
    private func snapshotMessages() -> [Multipart] {
        let version = machine.parameterVersion
        if let cached = snapshotCache, cached.version == version { return cached.messages }
        snapshotCache = nil  // the previous version's frames go before the new ones are built
        let models = trainer.models
        var chunkMessages: [Multipart] = []
        // The models own their buffers for as long as the learner runs.
        let announcement = ParameterSnapshot.cut(
            [
                UnsafeBufferPointer(models.reasoning.parameters.buffer),
                UnsafeBufferPointer(models.posterior.parameters.buffer),
            ],
            parameterVersion: version, modelConfigurationJSON: models.configuration.json,
            encoding: configuration.broadcastEncoding
        ) { chunk in
            // A 1 MiB chunk is far below the frame cap, so encoding cannot fail.
            if let frames = try? codec.encode(.snapshotChunk(chunk), senderID: instanceID) {
                chunkMessages.append(frames.map(Frame.init))
            }
        }
        let header = try? codec.encode(.parameterAnnouncement(announcement), senderID: instanceID).map(Frame.init)
        let messages = (header.map { [$0] } ?? []) + chunkMessages
        snapshotCache = (version, messages)
        return messages
    }

    /// Writes the models, optimizers and progress to the run directory, if there is one.
    func writeCheckpoint() throws(LearnerServiceError) {
        guard let runDirectory else { return }
        let progress = LearnerProgress(
            parameterVersion: machine.parameterVersion, modelSteps: trainer.modelSteps,
            posteriorSteps: trainer.posteriorSteps, questionCursor: questionCursor)
        do {
            onEvent(
                .checkpointWritten(path: try LearnerCheckpoint.write(trainer, progress: progress, to: runDirectory)))
        } catch {
            throw .io("checkpoint: \(error)")
        }
    }

    private func record(_ metrics: StepMetrics) throws(LearnerServiceError) {
        guard let metricsFile else { return }
        try append([metrics], to: metricsFile, name: "metrics.jsonl")
    }

    /// Writes one JSON line per value.
    private func append<Value: Encodable>(
        _ values: [Value], to file: FileHandle, name: String
    ) throws(LearnerServiceError) {
        let encoder = StepMetrics.encoder
        do {
            var lines = Data()
            for value in values { lines += try encoder.encode(value) + Data("\n".utf8) }
            try file.write(contentsOf: lines)
        } catch {
            throw .io("cannot append to \(name): \(error.localizedDescription)")
        }
    }

    private func accuracy(_ correct: Int, _ total: Int) -> Double {
        Double(correct) / Double(max(total, 1))
    }
}
