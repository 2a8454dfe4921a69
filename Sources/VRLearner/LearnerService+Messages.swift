// The learner's answers to each kind of worker message (docs/protocol.md).

import VRCore
import VRTransport
import VRWire

extension LearnerService {
    /// Decodes, validates and answers one message; invalid input gets an error reply, never a crash.
    func handle(_ received: PeerMessage) async {
        let peer = received.peer
        let worker = peer.description
        let envelope: WireEnvelope
        do {
            envelope = try codec.decode(received.frames.map(\.bytes))
        } catch {
            await refuse(peer, ErrorReply(error), answering: error.messageName)
            return
        }
        guard envelope.senderID == worker else {
            await refuse(
                peer,
                ErrorReply(
                    code: .invalidValue,
                    reason: "sender id \"\(envelope.senderID)\" is not the connection's \"\(worker)\""),
                answering: envelope.message.name)
            return
        }
        machine.heard(from: worker, at: now)
        switch envelope.message {
        case .hello(let hello):
            await welcome(peer, hello)
        case .heartbeat:
            // A heartbeat proves the process lives, not that the learner knows it: one it has declared lost must
            // hear so, or it would never say hello again.
            if !machine.knows(worker) { await refuseUnknown(peer, answering: envelope.message.name) }
        case .goodbye:
            guard machine.knows(worker) else {
                await refuseUnknown(peer, answering: envelope.message.name)
                return
            }
            for case .workerLost(_, let count) in machine.workerLeft(worker) {
                peers[worker] = nil
                onEvent(.workerLost(worker: worker, requeuedQuestionCount: count))
            }
        case .workRequest(let request):
            await assignWork(to: peer, credits: request.questionCount)
        case .rolloutBatch(let batch):
            await accept(batch, from: peer)
        case .snapshotRequest:
            await sendSnapshot(to: peer)
        case .errorReply(let error):
            // Never answered, only reported.
            onEvent(.workerReported(worker: worker, reason: error.reason))
        case .welcome, .workAssignment, .batchAck, .parameterAnnouncement, .snapshotChunk:
            await refuse(
                peer,
                ErrorReply(
                    code: .unexpectedMessage, reason: "\(envelope.message.name) is sent by the learner, not to it"),
                answering: envelope.message.name)
        }
    }

    private func welcome(_ peer: PeerID, _ hello: WorkerHello) async {
        guard hello.datasetFingerprint == datasetFingerprint else {
            await refuse(
                peer,
                ErrorReply(
                    code: .datasetMismatch,
                    reason:
                        "dataset fingerprint \(hello.datasetFingerprint) differs from the learner's \(datasetFingerprint)"
                ), answering: "Hello")
            return
        }
        let worker = peer.description
        for case .welcome(_, let version) in machine.workerJoined(worker, at: now) {
            peers[worker] = peer
            let interval = configuration.heartbeatIntervalMilliseconds
            let timeout = configuration.policy.workerTimeout.wholeMilliseconds
            await send(
                .welcome(
                    Welcome(
                        learnerInstanceID: instanceID, parameterVersion: version,
                        heartbeatInterval: .milliseconds(interval),
                        heartbeatLiveness: max(1, Int(timeout) / interval),
                        maxLag: Int(configuration.policy.maxOutstandingLag))),
                to: peer)
            onEvent(.workerJoined(worker: worker))
        }
    }

    private func assignWork(to peer: PeerID, credits: Int) async {
        let worker = peer.description
        guard machine.knows(worker) else {
            await refuseUnknown(peer, answering: "WorkRequest")
            return
        }
        refillQueue()
        let backlog =
            collectedRollouts == nil
            ? LearnerStateMachine.Backlog(
                questionsPerStep: configuration.questionsPerStep, waitingQuestionCount: pending.waitingQuestionCount)
            : nil
        let assignments = machine.workRequested(by: worker, credits: credits, backlog: backlog, at: now).compactMap {
            action in
            if case .assign(_, let assignment) = action { assignment } else { nil }
        }
        guard !assignments.isEmpty else {
            await send(
                .workAssignment(
                    WorkAssignment(
                        assignmentID: 0, parameterVersion: machine.parameterVersion, questions: [],
                        retryAfter: .milliseconds(100))),
                to: peer)
            return
        }
        for assignment in assignments {
            let phase = assignment.phase
            let traceCount =
                assignment.phase == .model ? configuration.tracesPerQuestion : configuration.priorTracesPerQuestion
            await send(
                .workAssignment(
                    WorkAssignment(
                        assignmentID: assignment.id, parameterVersion: assignment.parameterVersion,
                        questions: assignment.questionIDs.map {
                            QuestionAssignment(
                                questionID: $0, phase: phase, traceCount: traceCount,
                                proposal: phase == .model ? configuration.modelObjective.proposal : nil,
                                answerModel: phase == .model
                                    ? configuration.modelObjective.answerModel : .reasoningModel)
                        })),
                to: peer)
        }
    }

    /// Checks a batch against its assignment, lets the state machine judge it, and acknowledges it.
    private func accept(_ batch: RolloutBatch, from peer: PeerID) async {
        let worker = peer.description
        let sequence = batch.batchSequence
        var built: BuiltBatch?
        if let assignment = machine.outstandingAssignment(of: worker, id: batch.assignmentID) {
            do {
                built = try BatchContent.build(
                    batch: batch, assignment: assignment,
                    expectedTraceCount: assignment.phase == .model
                        ? configuration.tracesPerQuestion : configuration.priorTracesPerQuestion,
                    modelProposal: configuration.modelObjective.proposal, prompts: prompts,
                    contextLength: trainer.models.reasoning.configuration.contextLength)
            } catch {
                await refuse(
                    peer, ErrorReply(code: .inconsistentBatch, reason: "\(error)", batchSequence: sequence),
                    answering: "RolloutBatch")
                return
            }
        }
        let receipt = BatchReceipt(
            worker: worker, sequence: sequence, assignmentID: batch.assignmentID,
            questionIDs: batch.questions.map(\.questionID), samplingVersion: batch.samplingParameterVersion,
            scoringVersion: batch.scoringParameterVersion)
        for action in machine.batchArrived(receipt, at: now) {
            switch action {
            case .train:
                if collectedRollouts != nil {
                    collect(batch)
                } else if let built {
                    pending.add(built, of: batch)
                }
                await acknowledge(sequence, .accepted, to: peer)
            case .dropDuplicate:
                await drop(batch, .duplicate, detail: "batch_sequence \(sequence) was received before", to: peer)
            case .dropStale(_, let lag):
                let detail =
                    "sampling_parameter_version \(batch.samplingParameterVersion) is \(lag) versions behind the "
                    + "learner's \(machine.parameterVersion); at most \(machine.policy.maxBatchLag) are accepted, and its "
                    + "questions are handed out again"
                await drop(batch, .stale, detail: detail, to: peer)
            case .reject(_, let refusal):
                await refuse(peer, Self.reply(to: refusal, of: batch), answering: "RolloutBatch")
            default:
                break
            }
        }
    }

    /// The error reply for a batch the state machine refused.
    private static func reply(to refusal: BatchRefusal, of batch: RolloutBatch) -> ErrorReply {
        let sequence = batch.batchSequence
        switch refusal {
        case .unknownWorker:
            return ErrorReply(
                code: .unknownWorker, reason: "unknown worker \(batch.workerID); say hello first",
                batchSequence: sequence)
        case .versionOutOfRange(let reason):
            return ErrorReply(code: .versionOutOfRange, reason: reason, batchSequence: sequence)
        case .assignmentExpired:
            var reply = expiryNotice(batch.assignmentID, deadline: nil)
            reply.batchSequence = sequence
            return reply
        case .notOutstanding(let reason):
            return ErrorReply(code: .unexpectedMessage, reason: reason, batchSequence: sequence)
        }
    }

    /// Tells a worker that one of its assignments passed its deadline and went to another worker.
    static func expiryNotice(_ assignmentID: UInt64, deadline: Duration?) -> ErrorReply {
        let limit = deadline.map { " of \($0.inSeconds) s" } ?? ""
        return ErrorReply(
            code: .assignmentExpired,
            reason: "assignment \(assignmentID) passed its deadline\(limit) and was handed to another worker; drop it",
            assignmentID: assignmentID)
    }

    private func acknowledge(
        _ sequence: UInt64, _ status: BatchAck.Status, detail: String = "", to peer: PeerID
    )
        async
    {
        await send(
            .batchAck(
                BatchAck(
                    batchSequence: sequence, status: status, parameterVersion: machine.parameterVersion,
                    detail: detail)),
            to: peer)
    }

    /// Acknowledges a batch that will not train, saying why.
    private func drop(_ batch: RolloutBatch, _ status: BatchAck.Status, detail: String, to peer: PeerID) async {
        onEvent(.dropped(worker: peer.description, sequence: batch.batchSequence, status: status, detail: detail))
        await acknowledge(batch.batchSequence, status, detail: detail, to: peer)
    }

    /// Tells a sender the learner has not welcomed, or has declared lost, to say hello (again).
    /// - Parameters:
    ///   - peer: the sender.
    ///   - message: the name of the message refused.
    func refuseUnknown(_ peer: PeerID, answering message: String) async {
        await refuse(
            peer, ErrorReply(code: .unknownWorker, reason: "unknown worker \(peer); say hello first"),
            answering: message)
    }

    /// Answers a message with an error reply, reported with the reply's code and the message's name (nil: the
    /// frames or the envelope did not parse).
    private func refuse(_ peer: PeerID, _ reply: ErrorReply, answering message: String?) async {
        rejections[reply.code.label, default: 0] += 1
        onEvent(
            .refused(
                worker: peer.description, code: reply.code.label, message: message ?? "unparsed",
                reason: reply.reason))
        await send(.errorReply(reply), to: peer)
    }
}
