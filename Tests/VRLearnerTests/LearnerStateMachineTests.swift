import Testing
import VRLearner

/// The learner's policy tested event by event, with time passed in.
@Suite("learner state machine")
struct LearnerStateMachineTests {
    let policy = LearnerPolicy(
        maxOutstandingLag: 1, maxBatchLag: 2, maxAssignmentsPerWorker: 2, questionsPerAssignment: 2, publishEvery: 2,
        workerTimeout: .seconds(5))

    func assignments(_ actions: [LearnerAction]) -> [Assignment] {
        actions.compactMap { if case .assign(_, let assignment) = $0 { assignment } else { nil } }
    }

    @Test("a joining worker is welcomed at the current version; unknown workers get no work")
    func welcome() throws {
        var learner = try LearnerStateMachine(policy: policy, parameterVersion: 7)
        learner.enqueue(["a", "b"], phase: .model)
        #expect(learner.workRequested(by: "w1", credits: 1, at: .zero).isEmpty)
        #expect(learner.workerJoined("w1", at: .zero) == [.welcome(worker: "w1", parameterVersion: 7)])
        #expect(learner.workerCount == 1)
    }

    @Test("[E9] work is handed out by credit, capped per worker, one phase per assignment")
    func credits() throws {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue(["a", "b", "c"], phase: .posterior)
        learner.enqueue(["d", "e"], phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        let first = assignments(learner.workRequested(by: "w1", credits: 5, at: .zero))
        #expect(first.map(\.questionIDs) == [["a", "b"], ["c"]])
        #expect(first.map(\.phase) == [.posterior, .posterior])
        #expect(first.map(\.id) == [1, 2])
        #expect(learner.workRequested(by: "w1", credits: 1, at: .zero).isEmpty)
        _ = learner.workerJoined("w2", at: .zero)
        let second = assignments(learner.workRequested(by: "w2", credits: 1, at: .zero))
        #expect(second.map(\.questionIDs) == [["d", "e"]])
        #expect(second.first?.phase == .model)
        #expect(learner.queuedQuestionCount == 0)
    }

    @Test("fresh batches train; duplicates, foreign assignments and future versions do not")
    func batches() throws {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue(["a", "b", "c", "d"], phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        let work = assignments(learner.workRequested(by: "w1", credits: 2, at: .zero))
        let batch = BatchReceipt(
            worker: "w1", sequence: 1, assignmentID: work[0].id, questionIDs: work[0].questionIDs, samplingVersion: 0)
        #expect(learner.batchArrived(batch, at: .seconds(1)) == [.train(batch, lag: 0)])
        #expect(learner.batchArrived(batch, at: .seconds(1)) == [.dropDuplicate(batch)])
        let foreign = BatchReceipt(worker: "w1", sequence: 2, assignmentID: 99, questionIDs: ["a"], samplingVersion: 0)
        if case .reject = learner.batchArrived(foreign, at: .seconds(1)).first {} else { Issue.record("not rejected") }
        let future = BatchReceipt(
            worker: "w1", sequence: 3, assignmentID: work[1].id, questionIDs: work[1].questionIDs, samplingVersion: 5)
        #expect(
            learner.batchArrived(future, at: .seconds(1)) == [
                .reject(future, .versionOutOfRange("sampling_parameter_version 5 is ahead of the learner's 0"))
            ])
        let stranger = BatchReceipt(
            worker: "w9", sequence: 1, assignmentID: work[1].id, questionIDs: work[1].questionIDs, samplingVersion: 0)
        if case .reject = learner.batchArrived(stranger, at: .seconds(1)).first {} else { Issue.record("not rejected") }
        #expect(learner.counters.trainedBatches == 1)
        #expect(learner.counters.duplicateBatches == 1)
        #expect(learner.counters.rejectedBatches == 3)
    }

    @Test("a batch whose versions the learner cannot have served is refused, naming the field")
    func impossibleVersions() throws {
        var learner = try LearnerStateMachine(policy: policy, parameterVersion: 3)
        learner.enqueue(["a", "b"], phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        let work = assignments(learner.workRequested(by: "w1", credits: 1, at: .zero))[0]
        func batch(_ sequence: UInt64, sampling: UInt64, scoring: UInt64) -> BatchReceipt {
            BatchReceipt(
                worker: "w1", sequence: sequence, assignmentID: work.id, questionIDs: work.questionIDs,
                samplingVersion: sampling, scoringVersion: scoring)
        }
        let cases: [(BatchReceipt, String)] = [
            (batch(1, sampling: .max, scoring: .max), "sampling_parameter_version 18446744073709551615 is ahead"),
            (batch(2, sampling: 3, scoring: .max), "scoring_parameter_version 18446744073709551615 is ahead"),
            (
                batch(3, sampling: 3, scoring: 2),
                "scoring_parameter_version 2 is older than sampling_parameter_version 3"
            ),
        ]
        for (receipt, field) in cases {
            let actions = learner.batchArrived(receipt, at: .zero)
            guard case .reject(_, .versionOutOfRange(let reason)) = actions.first else {
                Issue.record("\(actions) does not refuse the version")
                continue
            }
            #expect(reason.hasPrefix(field))
        }
        #expect(learner.counters.rejectedBatches == 3)
        // The assignment is still out, and a batch with possible versions trains.
        let honest = batch(4, sampling: 2, scoring: 3)
        #expect(learner.batchArrived(honest, at: .zero) == [.train(honest, lag: 1)])
    }

    @Test("an assignment may come back over several batches in either order, each question once")
    func partialBatches() throws {
        for order in [[0, 1], [1, 0]] {
            var learner = try LearnerStateMachine(
                policy: LearnerPolicy(maxAssignmentsPerWorker: 1, questionsPerAssignment: 3))
            learner.enqueue(["a", "b", "c"], phase: .model)
            _ = learner.workerJoined("w", at: .zero)
            let work = assignments(learner.workRequested(by: "w", credits: 1, at: .zero))[0]
            let parts = [["a"], ["c", "b"]]
            let first = BatchReceipt(
                worker: "w", sequence: 1, assignmentID: work.id, questionIDs: parts[order[0]], samplingVersion: 0)
            #expect(learner.batchArrived(first, at: .seconds(1)) == [.train(first, lag: 0)])
            let remaining = parts[order[1]]
            #expect(learner.outstandingAssignment(of: "w", id: work.id)?.questionIDs == remaining.sorted())
            // A question already returned is refused and changes nothing.
            let again = BatchReceipt(
                worker: "w", sequence: 2, assignmentID: work.id, questionIDs: parts[order[0]], samplingVersion: 0)
            guard case .reject(_, .notOutstanding(let reason)) = learner.batchArrived(again, at: .seconds(1)).first
            else {
                Issue.record("a question returned twice was not refused")
                continue
            }
            #expect(reason.contains("was already returned"))
            let last = BatchReceipt(
                worker: "w", sequence: 3, assignmentID: work.id, questionIDs: remaining, samplingVersion: 0)
            #expect(learner.batchArrived(last, at: .seconds(2)) == [.train(last, lag: 0)])
            #expect(learner.outstandingAssignment(of: "w", id: work.id) == nil)
            #expect(learner.counters.trainedBatches == 2)
        }
    }

    @Test("an assignment past its deadline goes to another worker, and its late batch is refused as expired")
    func deadlines() throws {
        var learner = try LearnerStateMachine(
            policy: LearnerPolicy(
                maxAssignmentsPerWorker: 1, questionsPerAssignment: 1, workerTimeout: .seconds(5)))
        learner.enqueue(["a", "b", "c"], phase: .model)
        _ = learner.workerJoined("hoarder", at: .zero)
        _ = learner.workerJoined("honest", at: .zero)
        let hoarded = assignments(learner.workRequested(by: "hoarder", credits: 1, at: .zero))[0]
        // Nothing is known of rollout times yet, so nothing expires.
        #expect(learner.assignmentDeadline == nil)
        learner.heard(from: "hoarder", at: .seconds(30))
        learner.heard(from: "honest", at: .seconds(30))
        #expect(learner.tick(at: .seconds(30)).isEmpty)
        // The honest worker returns one in 3 s: the deadline becomes max(2 x 5 s, 4 x 3 s) = 12 s.
        let done = assignments(learner.workRequested(by: "honest", credits: 1, at: .seconds(30)))[0]
        let batch = BatchReceipt(
            worker: "honest", sequence: 1, assignmentID: done.id, questionIDs: done.questionIDs, samplingVersion: 0)
        #expect(learner.batchArrived(batch, at: .seconds(33)) == [.train(batch, lag: 0)])
        #expect(learner.assignmentDeadline == .seconds(12))
        // The hoarder keeps heartbeating, which proves nothing: its assignment is taken back.
        learner.heard(from: "hoarder", at: .seconds(33))
        #expect(
            learner.tick(at: .seconds(33)) == [
                .expire(worker: "hoarder", assignmentID: hoarded.id, requeuedQuestionCount: 1)
            ])
        #expect(learner.counters.expiredAssignments == 1)
        let reissued = assignments(learner.workRequested(by: "honest", credits: 1, at: .seconds(33)))[0]
        #expect(reissued.questionIDs == hoarded.questionIDs)
        let late = BatchReceipt(
            worker: "hoarder", sequence: 1, assignmentID: hoarded.id, questionIDs: hoarded.questionIDs,
            samplingVersion: 0)
        #expect(learner.batchArrived(late, at: .seconds(34)) == [.reject(late, .assignmentExpired)])
        #expect(learner.batchArrived(late, at: .seconds(34)) == [.dropDuplicate(late)])

        // A fixed deadline applies from the start.
        var fixed = try LearnerStateMachine(policy: LearnerPolicy(assignmentDeadline: .seconds(1)))
        fixed.enqueue(["x"], phase: .posterior)
        _ = fixed.workerJoined("w", at: .zero)
        let held = assignments(fixed.workRequested(by: "w", credits: 1, at: .zero))[0]
        fixed.heard(from: "w", at: .seconds(2))
        #expect(fixed.tick(at: .seconds(2)) == [.expire(worker: "w", assignmentID: held.id, requeuedQuestionCount: 1)])
        #expect(fixed.queuedQuestionCount == 1)
    }

    // Rollouts of 1 s would set the deadline at 4 s, under the 5 s worker timeout: it stays at twice the
    // timeout, so a worker that falls silent holding an assignment is reported lost before it expires.
    @Test("a worker gone silent is reported lost, with its questions, before its assignment expires")
    func silenceBeforeDeadline() throws {
        var learner = try LearnerStateMachine(
            policy: LearnerPolicy(maxAssignmentsPerWorker: 1, questionsPerAssignment: 1, workerTimeout: .seconds(5)))
        learner.enqueue(["a", "b"], phase: .model)
        _ = learner.workerJoined("quick", at: .zero)
        _ = learner.workerJoined("silent", at: .zero)
        let done = assignments(learner.workRequested(by: "quick", credits: 1, at: .zero))[0]
        let batch = BatchReceipt(
            worker: "quick", sequence: 1, assignmentID: done.id, questionIDs: done.questionIDs, samplingVersion: 0)
        _ = learner.batchArrived(batch, at: .seconds(1))
        #expect(learner.assignmentDeadline == .seconds(10))
        let held = assignments(learner.workRequested(by: "silent", credits: 1, at: .seconds(1)))[0]
        // Its last heartbeat comes after the assignment; then nothing.
        learner.heard(from: "silent", at: .seconds(2))
        learner.heard(from: "quick", at: .seconds(7))
        #expect(learner.tick(at: .seconds(7)).isEmpty)
        learner.heard(from: "quick", at: .seconds(8))
        #expect(learner.tick(at: .seconds(8)) == [.workerLost(worker: "silent", requeuedQuestionCount: 1)])
        #expect(held.questionIDs.count == 1)
    }

    @Test("versions advance with steps; parameters are published every publishEvery steps")
    func publishing() throws {
        var learner = try LearnerStateMachine(policy: policy)
        #expect(learner.stepFinished().isEmpty)
        #expect(learner.stepFinished() == [.publish(parameterVersion: 2)])
        #expect(learner.stepFinished().isEmpty)
        #expect(learner.parameterVersion == 3)
    }

    @Test("pacing stops new work while old work lags; stale batches are dropped and their questions return")
    func staleness() throws {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue(["a", "b", "c", "d", "e", "f"], phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        _ = learner.workerJoined("w2", at: .zero)
        let old = assignments(learner.workRequested(by: "w1", credits: 1, at: .zero))[0]
        _ = learner.stepFinished()
        _ = learner.stepFinished()
        // Lag 2 > maxOutstandingLag 1: nobody gets new work until the old assignment is settled.
        #expect(learner.workRequested(by: "w2", credits: 1, at: .zero).isEmpty)
        _ = learner.stepFinished()
        let stale = BatchReceipt(
            worker: "w1", sequence: 1, assignmentID: old.id, questionIDs: old.questionIDs, samplingVersion: 0)
        #expect(learner.batchArrived(stale, at: .zero) == [.dropStale(stale, lag: 3)])
        #expect(learner.counters.staleBatches == 1)
        let again = assignments(learner.workRequested(by: "w2", credits: 1, at: .zero))
        #expect(again.first?.questionIDs == old.questionIDs)
        #expect(again.first?.parameterVersion == 3)
    }

    @Test("a silent worker is lost after the timeout and its questions are handed out again")
    func liveness() throws {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue(["a", "b", "c"], phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        _ = learner.workerJoined("w2", at: .zero)
        let held = assignments(learner.workRequested(by: "w1", credits: 2, at: .zero))
        #expect(held.count == 2)
        learner.heard(from: "w2", at: .seconds(4))
        #expect(learner.tick(at: .seconds(4)).isEmpty)
        #expect(learner.tick(at: .seconds(6)) == [.workerLost(worker: "w1", requeuedQuestionCount: 3)])
        #expect(learner.workerCount == 1)
        let handedOut = assignments(learner.workRequested(by: "w2", credits: 2, at: .seconds(6)))
        #expect(handedOut.flatMap(\.questionIDs).sorted() == ["a", "b", "c"])
        // A late batch from the lost worker answers nothing outstanding.
        let late = BatchReceipt(
            worker: "w1", sequence: 1, assignmentID: held[0].id, questionIDs: held[0].questionIDs, samplingVersion: 0)
        if case .reject = learner.batchArrived(late, at: .seconds(7)).first {} else { Issue.record("not rejected") }
    }

    @Test("duplicate detection survives out-of-order sequences without growing without bound")
    func sequences() throws {
        var learner = try LearnerStateMachine(
            policy: LearnerPolicy(maxAssignmentsPerWorker: 8, questionsPerAssignment: 1))
        learner.enqueue((0..<8).map(String.init), phase: .model)
        _ = learner.workerJoined("w", at: .zero)
        let work = assignments(learner.workRequested(by: "w", credits: 8, at: .zero))
        for (index, sequence) in [3, 1, 2, 5, 4].enumerated() {
            let batch = BatchReceipt(
                worker: "w", sequence: UInt64(sequence), assignmentID: work[index].id,
                questionIDs: work[index].questionIDs, samplingVersion: 0)
            #expect(learner.batchArrived(batch, at: .zero) == [.train(batch, lag: 0)])
        }
        for sequence in 1...5 {
            let repeated = BatchReceipt(
                worker: "w", sequence: UInt64(sequence), assignmentID: work[7].id, questionIDs: work[7].questionIDs,
                samplingVersion: 0)
            #expect(learner.batchArrived(repeated, at: .zero) == [.dropDuplicate(repeated)])
        }
    }

    @Test("a worker that says hello again or goodbye gives its work back; its numbering carries over")
    func rejoinAndGoodbye() throws {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue(["a", "b", "c", "d"], phase: .posterior)
        _ = learner.workerJoined("w1", at: .zero)
        let first = assignments(learner.workRequested(by: "w1", credits: 2, at: .zero))
        #expect(first.map(\.questionIDs) == [["a", "b"], ["c", "d"]])
        let batch = BatchReceipt(
            worker: "w1", sequence: 1, assignmentID: first[0].id, questionIDs: first[0].questionIDs, samplingVersion: 0)
        #expect(learner.batchArrived(batch, at: .zero) == [.train(batch, lag: 0)])
        // The session broke: the held assignment returns to the queue, the sequence stays known.
        #expect(learner.workerJoined("w1", at: .seconds(1)) == [.welcome(worker: "w1", parameterVersion: 0)])
        #expect(learner.queuedQuestionCount == 2)
        #expect(learner.outstandingAssignment(of: "w1", id: first[1].id) == nil)
        let again = assignments(learner.workRequested(by: "w1", credits: 1, at: .seconds(1)))
        #expect(again.map(\.questionIDs) == [["c", "d"]])
        #expect(learner.outstandingAssignment(of: "w1", id: again[0].id) == again[0])
        let repeated = BatchReceipt(
            worker: "w1", sequence: 1, assignmentID: again[0].id, questionIDs: again[0].questionIDs, samplingVersion: 0)
        #expect(learner.batchArrived(repeated, at: .seconds(1)) == [.dropDuplicate(repeated)])
        // Goodbye: forgotten, work requeued, later traffic refused.
        #expect(learner.workerLeft("w1") == [.workerLost(worker: "w1", requeuedQuestionCount: 2)])
        #expect(learner.workerLeft("w1") == [])
        #expect(learner.workerCount == 0 && learner.queuedQuestionCount == 2)
        #expect(learner.workRequested(by: "w1", credits: 1, at: .seconds(2)) == [])
    }

    @Test("invalid policies are refused with the field at fault")
    func invalidPolicy() {
        #expect(throws: LearnerError.self) {
            try LearnerStateMachine(policy: LearnerPolicy(maxOutstandingLag: 3, maxBatchLag: 2))
        }
        #expect(throws: LearnerError.self) { try LearnerStateMachine(policy: LearnerPolicy(publishEvery: 0)) }
        #expect(throws: LearnerError.self) { try LearnerStateMachine(policy: LearnerPolicy(workerTimeout: .zero)) }
        #expect(throws: LearnerError.self) {
            try LearnerStateMachine(policy: LearnerPolicy(assignmentDeadline: .milliseconds(-1)))
        }
    }
}
