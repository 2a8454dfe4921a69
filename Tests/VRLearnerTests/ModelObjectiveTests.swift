import Testing
import VRLearner
import VRWire

/// Which model's answers score the traces under each objective.
@Suite("model objective")
struct ModelObjectiveTests {
    @Test(
        "[E11] RFT's verdicts come from the fixed reference model that sampled its traces; the rest score with pi",
        arguments: [
            (ModelObjective.Method.rft, TraceProposal.unhintedPosterior, AnswerModel.posteriorParameters),
            (.rft, .reasoningModel, .reasoningModel), (.grpo, .reasoningModel, .reasoningModel),
            (.variational, .hintedPosterior, .reasoningModel), (.variational, .unhintedPosterior, .reasoningModel),
        ])
    func answerModels(method: ModelObjective.Method, proposal: TraceProposal, expected: AnswerModel) {
        var objective = ModelObjective()
        objective.method = method
        objective.proposal = proposal
        #expect(objective.answerModel == expected)
    }
}
