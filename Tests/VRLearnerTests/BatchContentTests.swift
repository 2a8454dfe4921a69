import Testing
import VRCore
import VRLearner
import VRTasks
import VRText
import VRWire

/// A worker's batch checked against its assignment and turned into the phases' training inputs.
@Suite("batch content")
struct BatchContentTests {
    let items = ["1+2=?", "3+4=?"].enumerated().map { index, question in
        TaskItem(
            id: "q\(index)", family: nil, question: question, referenceThought: "t", referenceSolution: "Answer: 3",
            finalAnswer: "3", difficulty: 1, verifier: .numeric)
    }
    var renderer = TemplateRenderer()
    var prompts: [String: TaskPrompts] {
        Dictionary(uniqueKeysWithValues: items.map { ($0.id, TaskPrompts(item: $0, renderer: renderer)) })
    }
    /// The answers sampled after each trace: one correct, one wrong.
    let answers = [
        SampledAnswer(tokenIDs: [60, 61], behaviourLogProbs: [-0.25, -0.75], isCorrect: true),
        SampledAnswer(tokenIDs: [62], behaviourLogProbs: [-2], isCorrect: false),
    ]

    /// A batch whose traces are `thought` closed with the sampling prompt's marker.
    func batch(
        phase: RolloutPhase, thought: [Int32] = [50, 51], hinted: Bool? = nil,
        edit: (inout TraceRecord) -> Void = { _ in }
    )
        -> RolloutBatch
    {
        let questions = items.map { item in
            let prompt = prompts[item.id]!
            let isHinted = hinted ?? (phase == .model)
            let traceTokens = thought + (isHinted ? prompt.posteriorClosing : prompt.thoughtClosing)
            var trace = TraceRecord(
                promptTokenIDs: isHinted ? prompt.posteriorPrompt : prompt.reasoningPrompt,
                traceTokenIDs: traceTokens, behaviourLogProbs: traceTokens.map { _ in -0.5 },
                sampledAnswers: SampledAnswers(correctCount: 1, answerCount: 2, answers: answers))
            edit(&trace)
            return QuestionRollout(questionID: item.id, phase: phase, traces: [trace, trace])
        }
        return RolloutBatch(
            workerID: "w", batchSequence: 1, assignmentID: 7, samplingParameterVersion: 1, scoringParameterVersion: 1,
            questions: questions)
    }

    func assignment(_ phase: RolloutPhase) -> Assignment {
        var machine = try! LearnerStateMachine(policy: LearnerPolicy(questionsPerAssignment: 2))
        machine.enqueue(["q0", "q1"], phase: phase)
        _ = machine.workerJoined("w", at: .zero)
        guard case .assign(_, let assignment) = machine.workRequested(by: "w", credits: 1, at: .zero).first else {
            fatalError("no assignment")
        }
        return assignment
    }

    @Test(
        "[E5, E7] model phase: pi's prompt, q's closed trace and log-probs, the sampled answers, the reference answer")
    func modelPhase() throws {
        let built = try BatchContent.build(
            batch: batch(phase: .model), assignment: assignment(.model), expectedTraceCount: 2, prompts: prompts,
            contextLength: 128)
        guard case .model(let questions) = built.content else { Issue.record("not model content"); return }
        #expect(built.overlongTraceCount == 0 && built.truncatedTraceCount == 0 && questions.count == 2)
        let prompt = prompts["q0"]!
        #expect(questions[0].promptTokens == prompt.reasoningPrompt)
        let trace = questions[0].traces[0]
        #expect(trace.traceTokens == [50, 51, ByteTokenizer().id(of: .endOfThought)])
        #expect(trace.logQ == [-0.5, -0.5, -0.5])
        #expect(trace.answerOpening == prompt.answerOpening && trace.referenceAnswer == prompt.answer)
        #expect(trace.answers == answers)
        #expect(trace.correctAnswers == 1 && trace.answerCount == 2)
    }

    @Test("model phase with an unhinted proposal: traces must come from pi's prompt, and hinted ones are refused")
    func unhintedProposal() throws {
        for proposal in [TraceProposal.unhintedPosterior, .reasoningModel] {
            let built = try BatchContent.build(
                batch: batch(phase: .model, hinted: false), assignment: assignment(.model), expectedTraceCount: 2,
                modelProposal: proposal,
                prompts: prompts, contextLength: 128)
            #expect(built.content.questionCount == 2)
            #expect(throws: LearnerStepError.self) {
                try BatchContent.build(
                    batch: batch(phase: .model), assignment: assignment(.model), expectedTraceCount: 2,
                    modelProposal: proposal, prompts: prompts, contextLength: 128)
            }
        }
    }

    @Test(
        "[E8] posterior phase: q's hinted prompt, pi's trace closed with q's end marker",
        arguments: [TemplateConfiguration.PosteriorVariant.a, .b])
    func posteriorPhase(variant: TemplateConfiguration.PosteriorVariant) throws {
        var tests = self
        tests.renderer = TemplateRenderer(configuration: TemplateConfiguration(posteriorVariant: variant))
        let built = try BatchContent.build(
            batch: tests.batch(phase: .posterior), assignment: assignment(.posterior), expectedTraceCount: 2,
            prompts: tests.prompts, contextLength: 128)
        guard case .posterior(let questions) = built.content else { Issue.record("not posterior content"); return }
        let closing = ByteTokenizer().id(of: variant == .a ? .endOfExplanation : .endOfThought)
        #expect(questions[1].posteriorPromptTokens == tests.prompts["q1"]!.posteriorPrompt)
        #expect(questions[1].traces[0].traceTokens == [50, 51, closing])
    }

    @Test("[E5] template A: q's trace closed with its own marker is read by pi closed with the end of thought")
    func posteriorTemplateA() throws {
        var tests = self
        tests.renderer = TemplateRenderer(configuration: TemplateConfiguration(posteriorVariant: .a))
        let built = try BatchContent.build(
            batch: tests.batch(phase: .model) { $0.behaviourLogProbs[2] = -3 }, assignment: assignment(.model),
            expectedTraceCount: 2, prompts: tests.prompts, contextLength: 128)
        guard case .model(let questions) = built.content else { Issue.record("not model content"); return }
        #expect(questions[0].traces[0].traceTokens == [50, 51, ByteTokenizer().id(of: .endOfThought)])
        #expect(questions[0].traces[0].logQ == [-0.5, -0.5, -3])
    }

    @Test("mismatches are refused with what is wrong; traces too long for the context are left out")
    func refusals() throws {
        let model = assignment(.model)
        func reason(_ batch: RolloutBatch, traces: Int = 2) -> String {
            do {
                _ = try BatchContent.build(
                    batch: batch, assignment: model, expectedTraceCount: traces, prompts: prompts, contextLength: 128)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(batch(phase: .posterior)).contains("wrong phase"))
        #expect(reason(batch(phase: .model), traces: 3).contains("3 were asked for"))
        #expect(
            reason(batch(phase: .model) { $0.promptTokenIDs[0] += 1 }).contains(
                "not sampled from this learner's prompt"))
        #expect(
            reason(
                batch(phase: .model) {
                    $0.traceTokenIDs.removeLast()
                    $0.behaviourLogProbs.removeLast()
                }
            ).contains("does not end with its marker"))
        // A worker may return an assignment's questions in any order and over several batches, but only those
        // still out: here q1 came back in an earlier batch.
        var reordered = batch(phase: .model)
        reordered.questions.reverse()
        #expect(reason(reordered) == "accepted")
        var machine = try LearnerStateMachine(policy: LearnerPolicy(questionsPerAssignment: 2))
        machine.enqueue(["q0", "q1"], phase: .model)
        _ = machine.workerJoined("w", at: .zero)
        _ = machine.workRequested(by: "w", credits: 1, at: .zero)
        let firstPart = BatchReceipt(worker: "w", sequence: 1, assignmentID: 1, questionIDs: ["q1"], samplingVersion: 0)
        _ = machine.batchArrived(firstPart, at: .zero)
        let rest = try #require(machine.outstandingAssignment(of: "w", id: 1))
        #expect(rest.questionIDs == ["q0"])
        #expect(throws: LearnerStepError.self) {
            try BatchContent.build(
                batch: reordered, assignment: rest, expectedTraceCount: 2, prompts: prompts, contextLength: 128)
        }
        var remaining = reordered
        remaining.questions.removeFirst()
        let built = try BatchContent.build(
            batch: remaining, assignment: rest, expectedTraceCount: 2, prompts: prompts, contextLength: 128)
        #expect(built.content.questionCount == 1)
        let longTrace = [Int32](repeating: 50, count: 200)
        let overlong = try BatchContent.build(
            batch: batch(phase: .model, thought: longTrace), assignment: model, expectedTraceCount: 2,
            prompts: prompts, contextLength: 128)
        #expect(overlong.overlongTraceCount == 4 && overlong.content.questionCount == 0)
    }

    @Test(
        "a trace the length limit cut off gets no weight in either phase: it is left out, never closed and counted",
        arguments: [RolloutPhase.model, .posterior])
    func truncatedTraces(phase: RolloutPhase) throws {
        // q0's first trace is cut off; q1's both are, so q1 has nothing left to train on.
        var truncating = batch(phase: phase)
        truncating.questions[0].traces[0].isTruncated = true
        for index in truncating.questions[1].traces.indices { truncating.questions[1].traces[index].isTruncated = true }
        let built = try BatchContent.build(
            batch: truncating, assignment: assignment(phase == .model ? .model : .posterior), expectedTraceCount: 2,
            prompts: prompts, contextLength: 128)
        #expect(built.truncatedTraceCount == 3 && built.overlongTraceCount == 0)
        switch built.content {
        case .model(let questions):
            #expect(questions.map(\.questionID) == ["q0"] && questions[0].traces.count == 1)
        case .posterior(let questions):
            #expect(questions.map(\.posteriorPromptTokens) == [prompts["q0"]!.posteriorPrompt])
            #expect(questions[0].traces.count == 1)
        }
    }
}
