import Testing
import VRLearner

/// A training learner hands out no more questions than its next steps train: those out at workers and those
/// accepted and waiting for a step stay within `maxOutstandingLag + 1` steps' worth (at least two).
@Suite("hand-out paced by the training backlog")
struct BacklogPacingTests {
    /// Lag 1: two steps' worth of 2 questions, 4 in flight.
    let policy = LearnerPolicy(
        maxOutstandingLag: 1, maxBatchLag: 2, maxAssignmentsPerWorker: 2, questionsPerAssignment: 2, publishEvery: 1,
        workerTimeout: .seconds(5))

    func questions(_ actions: [LearnerAction]) -> [[String]] {
        actions.compactMap { if case .assign(_, let assignment) = $0 { assignment.questionIDs } else { nil } }
    }

    func backlog(waiting: Int) -> LearnerStateMachine.Backlog {
        LearnerStateMachine.Backlog(questionsPerStep: 2, waitingQuestionCount: waiting)
    }

    /// A learner with ten model-phase questions queued and workers w1 and w2.
    func learner(_ policy: LearnerPolicy) throws -> LearnerStateMachine {
        var learner = try LearnerStateMachine(policy: policy)
        learner.enqueue((0..<10).map { "q\($0)" }, phase: .model)
        _ = learner.workerJoined("w1", at: .zero)
        _ = learner.workerJoined("w2", at: .zero)
        return learner
    }

    @Test("questions out and waiting count together; a step that takes some makes room again")
    func paced() throws {
        var learner = try learner(policy)
        let first = learner.workRequested(by: "w1", credits: 2, backlog: backlog(waiting: 0), at: .zero)
        #expect(questions(first) == [["q0", "q1"], ["q2", "q3"]])
        // Four questions out: the limit, though w2 holds nothing and the queue has six.
        #expect(learner.workRequested(by: "w2", credits: 2, backlog: backlog(waiting: 0), at: .zero).isEmpty)
        // w1 returns both: nothing is out, but the four wait for steps.
        for (sequence, assignment) in first.enumerated() {
            guard case .assign(_, let work) = assignment else { continue }
            let receipt = BatchReceipt(
                worker: "w1", sequence: UInt64(sequence + 1), assignmentID: work.id, questionIDs: work.questionIDs,
                samplingVersion: 0)
            #expect(learner.batchArrived(receipt, at: .seconds(1)) == [.train(receipt, lag: 0)])
        }
        #expect(learner.workRequested(by: "w2", credits: 2, backlog: backlog(waiting: 4), at: .seconds(1)).isEmpty)
        // A step took two: room for one assignment of two, though w2 asks for two.
        _ = learner.stepFinished()
        let second = learner.workRequested(by: "w2", credits: 2, backlog: backlog(waiting: 2), at: .seconds(2))
        #expect(questions(second) == [["q4", "q5"]])
        #expect(learner.queuedQuestionCount == 4)
    }

    @Test("without a backlog (nothing trains) only the lag and the per-worker cap pace the hand-out")
    func collection() throws {
        var learner = try learner(policy)
        #expect(questions(learner.workRequested(by: "w1", credits: 2, at: .zero)) == [["q0", "q1"], ["q2", "q3"]])
        #expect(questions(learner.workRequested(by: "w2", credits: 2, at: .zero)) == [["q4", "q5"], ["q6", "q7"]])
    }

    @Test("lag 0 still allows two steps' worth, so one phase's step never waits on the other's questions")
    func lagZero() throws {
        var learner = try learner(
            LearnerPolicy(
                maxOutstandingLag: 0, maxBatchLag: 2, maxAssignmentsPerWorker: 2, questionsPerAssignment: 2,
                publishEvery: 1, workerTimeout: .seconds(5)))
        #expect(
            questions(learner.workRequested(by: "w1", credits: 2, backlog: backlog(waiting: 1), at: .zero)) == [
                ["q0", "q1"], ["q2", "q3"],
            ])
        #expect(learner.workRequested(by: "w2", credits: 1, backlog: backlog(waiting: 1), at: .zero).isEmpty)
    }
}
