// Checks a worker's batch against the assignment it answers and turns it into the two phases' training inputs.
//
// The learner trusts no token a worker sends about prompts and markers: each trace must have been sampled from
// the prompt this learner renders for its question and, when finished, end with that prompt's marker; GML scores
// this learner's own reference answer, which the wire does not carry.

import VRCore
import VRModel
import VRObjectives
import VRTasks
import VRWire

/// A batch turned into training inputs, with the traces it leaves out.
public struct BuiltBatch: Sendable, Equatable {
    /// The questions that kept at least one trace.
    public var content: BatchContent
    /// Traces whose sequence would not fit the model's context.
    public var overlongTraceCount: Int
    /// Traces the length limit cut off before their end marker: they are given no weight, since closing them
    /// here would train the models on a thought that was never finished.
    public var truncatedTraceCount: Int
}

/// A batch's questions in the form the phase steps take.
public enum BatchContent: Sendable, Equatable {
    /// Traces from q, for the model phase ([E4]-[E6]).
    case model([QuestionForTraining])
    /// Traces from pi, for the posterior phase ([E8]).
    case posterior([QuestionForPosterior])

    /// Checks `batch` against `assignment` and builds the training inputs.
    ///
    /// The batch may return any of the assignment's questions, in any order: a worker can stream an assignment
    /// over several batches.
    ///
    /// Traces cut off by the length limit, and traces whose sequence would not fit the model's context, are left
    /// out and counted; a question left without traces is left out too. A truncated trace has no end marker,
    /// so neither log pi(z|x) nor log q(z|x,y') of a finished thought exists for it ([E5]), and appending the
    /// marker would teach pi and q to close thoughts wherever the limit fell.
    /// - Parameters:
    ///   - batch: the decoded batch (already validated field by field by the codec).
    ///   - assignment: the outstanding assignment it answers, narrowed to the questions not yet returned.
    ///   - expectedTraceCount: K or M for the assignment's phase.
    ///   - modelProposal: the proposal model-phase traces were asked from (the posterior phase always samples pi).
    ///   - prompts: the learner's rendering of each question, by id.
    ///   - contextLength: the models' context length.
    /// - Returns: the content and the counts of traces left out.
    /// - Throws: `LearnerStepError.malformedTrace` naming the first mismatch.
    public static func build(
        batch: RolloutBatch, assignment: Assignment, expectedTraceCount: Int,
        modelProposal: TraceProposal = .hintedPosterior, prompts: [String: TaskPrompts], contextLength: Int
    ) throws(LearnerStepError) -> BuiltBatch {
        let phase = assignment.phase
        let pendingQuestionIDs = Set(assignment.questionIDs)
        if let foreign = batch.questions.first(where: { !pendingQuestionIDs.contains($0.questionID) }) {
            throw .malformedTrace(
                "question \"\(foreign.questionID)\" is not among assignment \(assignment.id)'s questions still out, "
                    + "\(assignment.questionIDs)")
        }
        var overlong = 0
        var truncated = 0
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
            let closing = proposal.isHinted ? prompt.posteriorClosing : prompt.thoughtClosing
            for (index, trace) in question.traces.enumerated() {
                guard trace.promptTokenIDs == samplingPrompt else {
                    throw .malformedTrace("\(place), trace \(index) was not sampled from this learner's prompt")
                }
                let sampled = trace.sampledAnswers
                if trace.isTruncated {
                    truncated += 1
                    continue
                }
                guard trace.traceTokenIDs.count >= closing.count, trace.traceTokenIDs.suffix(closing.count) == closing
                else {
                    throw .malformedTrace("\(place), trace \(index) is not truncated but does not end with its marker")
                }
                let thought = Array(trace.traceTokenIDs.dropLast(closing.count))
                switch phase {
                case .model:
                    let longestAnswer = sampled.answers.map(\.tokenIDs.count).max() ?? 0
                    guard
                        prompt.reasoningPrompt.count + thought.count + prompt.thoughtClosing.count
                            + prompt.answerOpening.count + max(longestAnswer, prompt.answer.count) <= contextLength
                    else {
                        overlong += 1
                        continue
                    }
                    modelTraces.append(
                        TraceForTraining(
                            traceTokens: thought + prompt.thoughtClosing,
                            logQ: alignMarker(
                                logQ: trace.behaviourLogProbs, markerCount: closing.count,
                                piMarkerCount: prompt.thoughtClosing.count),
                            answerOpening: prompt.answerOpening, referenceAnswer: prompt.answer,
                            answers: sampled.answers,
                            correctAnswers: sampled.correctCount, answerCount: sampled.answerCount))
                case .posterior:
                    // q learns to close its trace with its own marker.
                    guard prompt.posteriorPrompt.count + thought.count + prompt.posteriorClosing.count <= contextLength
                    else {
                        overlong += 1
                        continue
                    }
                    priorTraces.append(
                        PriorTrace(
                            traceTokens: thought + prompt.posteriorClosing, correctAnswers: sampled.correctCount,
                            sampledAnswers: sampled.answerCount))
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
        return BuiltBatch(
            content: phase == .model ? .model(modelQuestions) : .posterior(posteriorQuestions),
            overlongTraceCount: overlong, truncatedTraceCount: truncated)
    }

    /// The number of questions.
    public var questionCount: Int {
        switch self {
        case .model(let questions): questions.count
        case .posterior(let questions): questions.count
        }
    }
}
