// Checks a worker's batch against the assignment it answers and turns it into the two phases' training inputs.
//
// The learner trusts no token a worker sends about prompts and answers: each trace must have been sampled from
// the prompt this learner renders for its question, and pi is trained on this learner's reference answer.

import VRModel
import VRTasks
import VRWire

/// A batch's questions in the form the phase steps take.
public enum BatchContent: Sendable, Equatable {
    /// Traces from q, for the model phase ([E4]-[E6]).
    case model([QuestionForTraining])
    /// Traces from pi, for the posterior phase ([E8]).
    case posterior([QuestionForPosterior])

    /// Checks `batch` against `assignment` and builds the training inputs.
    ///
    /// Traces whose sequence would not fit the model's context are left out (counted in `droppedTraceCount`);
    /// a question left without traces is left out too.
    /// - Parameters:
    ///   - batch: the decoded batch (already validated field by field by the codec).
    ///   - assignment: the outstanding assignment it answers.
    ///   - expectedTraceCount: K or M for the assignment's phase.
    ///   - modelProposal: the proposal model-phase traces were asked from (the posterior phase always samples pi).
    ///   - prompts: the learner's rendering of each question, by id.
    ///   - contextLength: the models' context length.
    /// - Returns: the content and the number of traces left out.
    /// - Throws: `LearnerStepError.malformedTrace` naming the first mismatch.
    public static func build(
        batch: RolloutBatch, assignment: Assignment, expectedTraceCount: Int,
        modelProposal: TraceProposal = .hintedPosterior, prompts: [String: TaskPrompts], contextLength: Int
    ) throws(LearnerStepError) -> (content: BatchContent, droppedTraceCount: Int) {
        let phase: RolloutPhase = assignment.phase == .model ? .model : .posterior
        guard batch.questions.map(\.questionID) == assignment.questionIDs else {
            throw .malformedTrace(
                "batch questions \(batch.questions.map(\.questionID)) differ from assignment \(assignment.id)'s "
                    + "\(assignment.questionIDs)")
        }
        var dropped = 0
        var modelQuestions: [QuestionForTraining] = []
        var posteriorQuestions: [QuestionForPosterior] = []
        for question in batch.questions {
            let place = "question \"\(question.questionID)\""
            guard let prompt = prompts[question.questionID] else {
                throw .malformedTrace("\(place) is not in the dataset")
            }
            guard question.phase == phase else { throw .malformedTrace("\(place) has the wrong phase") }
            guard question.traces.count == expectedTraceCount else {
                throw .malformedTrace(
                    "\(place) has \(question.traces.count) traces; \(expectedTraceCount) were asked for")
            }
            let proposal = phase == .model ? modelProposal : .reasoningModel
            let samplingPrompt = proposal.isHinted ? prompt.posteriorPrompt : prompt.reasoningPrompt
            var modelTraces: [TraceForTraining] = []
            var priorTraces: [PriorTrace] = []
            for (index, trace) in question.traces.enumerated() {
                guard trace.promptTokenIDs == samplingPrompt else {
                    throw .malformedTrace("\(place), trace \(index) was not sampled from this learner's prompt")
                }
                guard case .sampled(let correct, let total) = trace.answerEvidence else {
                    throw .malformedTrace("\(place), trace \(index) carries GML evidence; this learner uses Acc")
                }
                switch phase {
                case .model:
                    guard
                        prompt.reasoningPrompt.count + trace.traceTokenIDs.count + prompt.answer.count <= contextLength
                    else {
                        dropped += 1
                        continue
                    }
                    modelTraces.append(
                        TraceForTraining(
                            traceTokens: trace.traceTokenIDs, answerTokens: prompt.answer,
                            logQ: trace.behaviourLogProbs, correctAnswers: correct, sampledAnswers: total))
                case .posterior:
                    // q learns to close its trace, so its closing marker follows the trace.
                    guard prompt.posteriorPrompt.count + trace.traceTokenIDs.count + 1 <= contextLength else {
                        dropped += 1
                        continue
                    }
                    priorTraces.append(
                        PriorTrace(
                            traceTokens: trace.traceTokenIDs + prompt.posteriorClosing,
                            correctAnswers: correct, sampledAnswers: total))
                }
            }
            if !modelTraces.isEmpty {
                modelQuestions.append(
                    QuestionForTraining(
                        questionID: question.questionID, promptTokens: prompt.reasoningPrompt, traces: modelTraces))
            }
            if !priorTraces.isEmpty {
                posteriorQuestions.append(
                    QuestionForPosterior(posteriorPromptTokens: prompt.posteriorPrompt, traces: priorTraces))
            }
        }
        return (phase == .model ? .model(modelQuestions) : .posterior(posteriorQuestions), dropped)
    }

    /// The number of questions.
    public var questionCount: Int {
        switch self {
        case .model(let questions): questions.count
        case .posterior(let questions): questions.count
        }
    }
}
